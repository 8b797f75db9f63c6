// Validates an AsyncAPI document with the AsyncAPI Initiative's own parser (the specification's
// JSON Schema plus its rules), resolving the $refs to docs/schemas/. Prints each channel and its
// messages; exits non-zero, with every diagnostic, when the document is invalid.
// Usage: node scripts/node/check-asyncapi.mjs docs/asyncapi.yaml
import { Parser, fromFile } from "@asyncapi/parser";
import path from "node:path";

const file = path.resolve(process.argv[2]);
const parser = new Parser();
const { document, diagnostics } = await fromFile(parser, file).parse();
const errors = diagnostics.filter((d) => d.severity === 0);
for (const d of diagnostics) {
  console.log(`${["error", "warning", "info", "hint"][d.severity]} ${d.code} ${d.path.join(".")}: ${d.message}`);
}
if (!document || errors.length > 0) {
  console.log(`INVALID: ${errors.length} error(s)`);
  process.exit(1);
}
for (const channel of document.channels()) {
  const messages = channel.messages().all().map((m) => m.name() ?? m.id());
  console.log(`channel ${channel.address()}: ${messages.join(", ")}`);
}
console.log("VALID");
