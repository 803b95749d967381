#!/usr/bin/env bash
# Builds the operator, sidecar and sample container images into local tarballs, without a Docker
# daemon or any registry: images/target/hotpatch-operator.tar, hotpatch-sidecar.tar and
# hotpatch-sample.tar (the checkout service of examples/checkout.yaml)
# (docker-archive format: `docker load -i`, `kind load image-archive`, `k3d image import`).
# Each image is FROM scratch: a jlinked Java runtime, the host's shared libraries it needs,
# /etc/passwd with the nonroot user 65532, and the application. Jib (images/pom.xml) packs them.
#
# Usage: scripts/build-images.sh [--no-build]   (--no-build: reuse the modules' built jars)
# Env:   HOTPATCH_IMAGE_JDK  JDK 21.0.1+ whose runtime goes into the images (default Temurin 25, which
#                            attaches across mount namespaces natively; the sidecar's flags need
#                            -XX:TrimNativeHeapInterval, 21.0.1+), MAVEN_ARGS e.g. -o.
# Needs: ldd and unzip (and strip, optional) on an x86_64 glibc host: the images reuse the host's
# glibc.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jdk="${HOTPATCH_IMAGE_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
stage="$root/images/target/stage"
# Maven 3.8 prints colour resets even in batch mode; keep the log plain.
mvn() { command mvn -B -q ${MAVEN_ARGS:-} "$@" 2>&1 | sed -u 's/\x1b\[0m//g'; }

# What each image's Java runtime holds. The sidecar's list is what jdeps finds in sidecar, core
# and jackson-jr; the operator's is jdeps over the Quarkus app plus the modules it reaches by
# reflection or service loading (JMX, DNS, zip file system, GSS, EC keys).
sidecar_modules="java.base,java.net.http,jdk.attach,jdk.crypto.ec"
# The sample service needs the JDK's HTTP server, plus what the hotpatch agent uses inside it
# (jdk.net: the peer credentials its socket checks).
sample_modules="java.base,jdk.httpserver,java.instrument,java.management,jdk.net"
operator_modules="java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.rmi,java.security.jgss,java.sql,java.xml,jdk.crypto.ec,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs"

die() { echo "build-images: $*" >&2; exit 1; }

[[ -x "$jdk/bin/jlink" ]] || die "no jlink in $jdk: set HOTPATCH_IMAGE_JDK to a JDK 21.0.1+ home"
command -v ldd >/dev/null || die "ldd is missing: apt-get install -y libc-bin"
command -v unzip >/dev/null || die "unzip is missing: apt-get install -y unzip"

if [[ "${1:-}" != "--no-build" ]]; then
  echo "build-images: building core, agent, sidecar, sample and operator"
  # package, not install: the modules' jars stay in their target/ folders, the local repository is not touched.
  mvn -f "$root/pom.xml" package -pl core,agent,sidecar,sample,operator -am -Dmaven.test.skip=true
fi
agent_jar="$root/agent/target/hotpatch-agent.jar"
sidecar_jar="$(ls "$root"/sidecar/target/hotpatch-sidecar-*.jar 2>/dev/null | grep -v -- '-sources\|-tests' | head -1)"
quarkus_app="$root/operator/target/quarkus-app"
sidecar_lib="$root/sidecar/target/lib"
[[ -f "$agent_jar" && -f "$sidecar_jar" && -d "$sidecar_lib" && -f "$quarkus_app/quarkus-run.jar" ]] \
  || die "module outputs missing: run without --no-build"

# jlink $1=image $2=modules [$3=more jlink options] into $stage/$1/opt/java; reused while the JDK,
# module list and options match.
runtime() {
  local dir="$stage/$1/opt/java" key="$jdk $2 ${3:-} $(sed -n 's/^JAVA_VERSION=//p' "$jdk/release")"
  if [[ -f "$stage/$1.runtime" && "$(cat "$stage/$1.runtime")" == "$key" ]]; then return; fi
  rm -rf "$dir" && mkdir -p "$(dirname "$dir")"
  echo "build-images: jlink $1 runtime ($2)"
  "$jdk/bin/jlink" --add-modules "$2" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-9 ${3:-} --output "$dir"
  # Native debug symbols are a quarter of libjvm.so; strip them when binutils is there.
  if command -v strip >/dev/null; then
    find "$dir" -name '*.so' -exec strip --strip-unneeded {} +
  fi
  echo "$key" >"$stage/$1.runtime"
}

# Copies every shared library the runtime's ELF files need (ldd) to the same path in the image,
# plus a minimal /etc/passwd, /etc/group and /tmp: what a scratch image lacks for a JVM. $2, if
# given, is a folder of more ELF files the image loads (native libraries its jars unpack at run time).
base_files() {
  local img="$stage/$1"
  rm -rf "$img/lib" "$img/lib64" "$img/usr" "$img/etc"
  find "$img/opt/java" ${2:+"$2"} -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper \) -print0 \
    | xargs -0 ldd 2>/dev/null | grep -o '/[^ ]*\.so[^ ]*' | grep -v "^$img" | sort -u \
    | while read -r lib; do
        mkdir -p "$img$(dirname "$lib")"
        cp -L "$lib" "$img$lib"
      done
  mkdir -p "$img/etc" "$img/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/tmp:/sbin/nologin\n' >"$img/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' >"$img/etc/group"
}

mkdir -p "$stage"

# Sidecar: runtime, agent jar at the path --install-agent copies from, daemon jars.
runtime sidecar "$sidecar_modules"
# The sidecar trusts only the operator's CA (HOTPATCH_CA_FILE), never the JDK's: without cacerts the
# JDK does not parse its 150 public roots into every sidecar's heap at the first TLS handshake.
rm -f "$stage/sidecar/opt/java/lib/security/cacerts"
base_files sidecar
rm -rf "$stage/sidecar/opt/hotpatch" && mkdir -p "$stage/sidecar/opt/hotpatch/lib"
cp "$agent_jar" "$stage/sidecar/opt/hotpatch/hotpatch-agent.jar"
cp "$sidecar_jar" "$sidecar_lib"/*.jar "$stage/sidecar/opt/hotpatch/lib/"
# The class-data archive below holds the sidecar's own classes too, valid only for the same jars in
# the same class path order with the same times: Jib stamps every file 1970-01-01T00:00:01Z.
touch -d @1 "$stage/sidecar/opt/hotpatch/lib/"*.jar
sidecar_class_path="$(basename "$sidecar_jar")"
for jar in "$sidecar_lib"/*.jar; do sidecar_class_path+=":$(basename "$jar")"; done

# The sidecar's JVM flags live in one place, SidecarMain.JVM_FLAGS: read them from the built class.
cat >"$stage/PrintSidecarFlags.java" <<'EOF'
class PrintSidecarFlags {
  public static void main(String[] args) {
    System.out.print(String.join(",", io.hotpatch.sidecar.daemon.SidecarMain.JVM_FLAGS));
  }
}
EOF
flags="$("$jdk/bin/java" -cp "$stage/sidecar/opt/hotpatch/lib/*" "$stage/PrintSidecarFlags.java")"
[[ -n "$flags" ]] || die "could not read SidecarMain.JVM_FLAGS from $sidecar_jar"
# A class-data archive (CDS) of the classes the sidecar loads, the JDK's, its own and jackson-jr's
# (images/sidecar.classlist): mapped from the image in place (ArchiveRelocationMode=0 in the flags),
# so every sidecar on a node shares its read-only pages instead of parsing the classes into its own
# metaspace (sidecar/README.md, "Resource cost"). Dumped with the shipped flags and the image's class
# path by the image's own runtime: the JVM matches the staged paths to /opt/hotpatch/lib by their
# common prefix. ImagesPod proves it maps.
"$stage/sidecar/opt/java/bin/java" ${flags//,/ } -Xshare:dump \
  -XX:SharedClassListFile="$root/images/sidecar.classlist" \
  -cp "$stage/sidecar/opt/hotpatch/lib/${sidecar_class_path//:/:$stage/sidecar/opt/hotpatch/lib/}" \
  -XX:SharedArchiveFile="$stage/sidecar/opt/hotpatch/sidecar.jsa" >"$stage/sidecar-cds.log" 2>&1 \
  || { tail -n 20 "$stage/sidecar-cds.log" >&2; die "could not dump the sidecar's class-data archive"; }
sidecar_entrypoint="/opt/java/bin/java,$flags,-XX:SharedArchiveFile=/opt/hotpatch/sidecar.jsa"
sidecar_entrypoint+=",-cp,/opt/hotpatch/lib/${sidecar_class_path//:/:/opt/hotpatch/lib/},io.hotpatch.sidecar.daemon.SidecarMain"
# The entrypoint, one argument a line, for scripts/bench-sidecar-footprint.sh to run the staged image.
tr ',' '\n' <<<"$sidecar_entrypoint" >"$stage/sidecar.entrypoint"

# Operator: runtime and the Quarkus fast-jar under /deployments.
# Headless: the X11, sound and splash libraries of java.desktop would drag in libX11 and friends.
runtime operator "$operator_modules" \
  "--exclude-files=**/libawt_xawt.so,**/libjsound.so,**/libsplashscreen.so"
# Netty's native libraries (netty-tcnative's BoringSSL) come in jars and are unpacked to /tmp at run
# time: what they link against (libgcc_s) must be in the image too, or the operator falls back to the
# JDK's TLS at several times the CPU per handshake. Those of this machine's architecture (Netty names
# it x86_64 or aarch_64), as the runtime and its libraries are.
operator_natives="$stage/operator.natives"
netty_arch="$(uname -m | sed 's/^aarch64$/aarch_64/')"
rm -rf "$operator_natives" && mkdir -p "$operator_natives"
for jar in "$quarkus_app"/lib/main/*.jar; do
  if unzip -Z1 "$jar" 2>/dev/null | grep "^META-INF/native/.*_$netty_arch\.so\$" >/dev/null; then
    unzip -qo "$jar" "META-INF/native/*_$netty_arch.so" -d "$operator_natives/$(basename "$jar" .jar)"
  fi
done
base_files operator "$operator_natives"
rm -rf "$stage/operator/deployments"
cp -r "$quarkus_app" "$stage/operator/deployments"

# Sample: the checkout service v1 (the version examples/hotpatch.yaml patches), built by the
# same javac path as the demo and the tests.
runtime sample "$sample_modules"
base_files sample
rm -rf "$stage/sample/app" && mkdir -p "$stage/sample/app"
sample_jar="$(ls "$root"/sample/target/hotpatch-sample-*.jar | grep -v -- '-sources\|-tests' | head -1)"
core_jar="$(ls "$root"/core/target/hotpatch-core-*.jar | grep -v -- '-sources\|-tests' | head -1)"
asm_jar="$(ls "$HOME"/.m2/repository/org/ow2/asm/asm/9.11.1/asm-9.11.1.jar)"
cat >"$stage/BuildCheckout.java" <<'JAVA'
class BuildCheckout {
  public static void main(String[] args) throws Exception {
    java.nio.file.Path jar = io.hotpatch.sample.SampleBuilds.sampleJar(
        io.hotpatch.sample.SampleVersion.V1_BUGGY, java.nio.file.Path.of(args[0]));
    java.nio.file.Files.move(jar, jar.resolveSibling("checkout.jar"));
  }
}
JAVA
"$jdk/bin/java" -cp "$sample_jar:$core_jar:$asm_jar" "$stage/BuildCheckout.java" "$stage/sample/app"

echo "build-images: packing the images with Jib"
# The images module has no code of its own, but Jib insists on a classes directory.
mkdir -p "$root/images/target/classes"
mvn -f "$root/images/pom.xml" jib:buildTar@sidecar -Djib.disableUpdateChecks=true \
  -Djib.container.entrypoint="$sidecar_entrypoint"
mvn -f "$root/images/pom.xml" jib:buildTar@operator -Djib.disableUpdateChecks=true
mvn -f "$root/images/pom.xml" jib:buildTar@sample -Djib.disableUpdateChecks=true

for name in sidecar operator sample; do
  tar="$root/images/target/hotpatch-$name.tar"
  echo "build-images: $tar ($(du -h "$tar" | cut -f1) compressed, image $(cat "$root/images/target/hotpatch-$name.id"))"
done
