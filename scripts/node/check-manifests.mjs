// Validates rendered Kubernetes manifests (kubectl kustomize output, one file of YAML documents)
// against the Kubernetes API's JSON Schemas as packaged by kubernetes-models (types, enums,
// required fields of every built-in kind). Prints "valid <apiVersion> <kind> <name>" per document,
// "unchecked ..." for custom resources it has no schema for (the Java test checks those), and
// exits non-zero with the violations when one is invalid.
// Usage: node scripts/node/check-manifests.mjs rendered.yaml
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const docs = parseAllDocuments(readFileSync(process.argv[2], "utf8"));
let invalid = 0;
for (const doc of docs) {
  if (doc.errors.length > 0) {
    console.log(`INVALID YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
    invalid++;
    continue;
  }
  const obj = doc.toJS();
  if (obj == null) continue;
  const { apiVersion, kind } = obj;
  const name = obj.metadata?.name;
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  const module = group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
  let Model;
  try {
    Model = (await import(module))[kind];
  } catch {
    console.log(`unchecked ${apiVersion} ${kind} ${name}`);
    continue;
  }
  try {
    new Model(obj).validate();
    console.log(`valid ${apiVersion} ${kind} ${name}`);
  } catch (e) {
    console.log(`INVALID ${apiVersion} ${kind} ${name}: ${e.message}`);
    invalid++;
  }
}
process.exit(invalid === 0 ? 0 : 1);
