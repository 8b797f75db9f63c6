#!/usr/bin/env python3
"""A minimal base image with this machine's Java 17 runtime, as a `docker save` tarball.

The suite's image build (scripts/test.sh) puts the service on it with Jib
(quarkus.jib.base-jvm-image=tar://...), because the production base image
(registry.access.redhat.com/ubi9/openjdk-17-runtime) cannot be pulled on a machine without
access to that registry; packaging/ContainerImageIT then runs the image the way the Deployment
does (user 185, read-only root, a writable /tmp). The image holds a jlink'ed runtime under
/opt/java (java on PATH, as in the production base), the shared libraries it links against, and
the files a JVM expects (/etc/passwd with user 185, /etc/hosts, /tmp, /home/jboss).

Usage: scripts/jre-base-image.py OUTPUT.tar
"""
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

out = sys.argv[1]
java_home = os.path.dirname(os.path.dirname(os.path.realpath(shutil.which("java"))))
work = tempfile.mkdtemp(prefix="jre-base-")
runtime = os.path.join(work, "java")
subprocess.run(
    [os.path.join(java_home, "bin", "jlink"), "--add-modules", "ALL-MODULE-PATH",
     "--strip-debug", "--no-man-pages", "--no-header-files", "--output", runtime],
    check=True)

def elf_files(root):
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            with open(p, "rb") as h:
                if h.read(4) == b"\x7fELF":
                    yield p

libraries = set()
for f in elf_files(runtime):
    ldd = subprocess.run(["ldd", f], capture_output=True, text=True).stdout
    for line in ldd.splitlines():
        parts = line.split()
        path = parts[2] if "=>" in parts and len(parts) > 2 else parts[0]
        if path.startswith("/"):
            libraries.add(path)

layer = io.BytesIO()
with tarfile.open(fileobj=layer, mode="w") as tar:
    def directory(name, mode=0o755, uid=0):
        info = tarfile.TarInfo(name)
        info.type, info.mode, info.uid, info.gid = tarfile.DIRTYPE, mode, uid, uid
        tar.addfile(info)

    def text(name, content):
        data = content.encode()
        info = tarfile.TarInfo(name)
        info.size, info.mode = len(data), 0o644
        tar.addfile(info, io.BytesIO(data))

    for d in ["etc", "tmp", "home", "proc", "dev", "sys", "opt", "usr", "usr/bin", "lib", "lib64",
              "usr/lib", "usr/lib/x86_64-linux-gnu", "lib/x86_64-linux-gnu"]:
        directory(d, 0o1777 if d == "tmp" else 0o755)
    directory("home/jboss", 0o755, 185)
    text("etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\njboss:x:185:185:jboss:/home/jboss:/sbin/nologin\n")
    text("etc/group", "root:x:0:\njboss:x:185:\n")
    text("etc/hosts", "127.0.0.1 localhost\n::1 localhost\n")
    text("etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n")
    tar.add(runtime, arcname="opt/java", filter=lambda i: (setattr(i, "uid", 0), setattr(i, "gid", 0), i)[2])
    for lib in sorted(libraries):
        name = lib.lstrip("/")
        if name.startswith(("lib/", "lib64/", "usr/lib/")):
            tar.add(os.path.realpath(lib), arcname=name)
layer_bytes = layer.getvalue()
diff_id = "sha256:" + hashlib.sha256(layer_bytes).hexdigest()
config = {
    "architecture": "amd64", "os": "linux",
    "config": {"Env": ["PATH=/opt/java/bin:/usr/bin:/bin", "JAVA_HOME=/opt/java"], "User": "185",
               "WorkingDir": "/home/jboss"},
    "rootfs": {"type": "layers", "diff_ids": [diff_id]},
}
config_bytes = json.dumps(config).encode()
manifest = [{"Config": "config.json", "RepoTags": ["cloudconnect/jre-base:17"], "Layers": ["layer.tar"]}]
os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
with tarfile.open(out, mode="w") as image:
    for name, data in [("layer.tar", layer_bytes), ("config.json", config_bytes),
                       ("manifest.json", json.dumps(manifest).encode())]:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        image.addfile(info, io.BytesIO(data))
shutil.rmtree(work)
print(f"{out}: Java runtime of {java_home} and {len(libraries)} libraries, {len(layer_bytes) // 2**20} MiB")
