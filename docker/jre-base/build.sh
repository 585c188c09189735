#!/usr/bin/env bash
# Builds a stand-in for eclipse-temurin:17-jre as an image tarball (the format of 'docker save'), from
# the JDK on this machine, for Jib to build the services' images on where no registry can be reached
# (CI here): ./mvnw -Pimages -Djib.from.image=tar://<this tarball> ... (docs/kubernetes.md).
#
# The image holds what a JRE image needs and nothing else: a jlink'd runtime of the JDK's modules the
# services use, in /opt/java/openjdk as in the Temurin images, the C libraries it links to, /tmp and
# /etc/passwd with root and the services' user (65532, 'mapreduce'). The release images are built on
# eclipse-temurin:17-jre (the default of jib.from.image); this one only keeps CI off the network.
#
#   docker/jre-base/build.sh [OUT.tar]      (default target/jre-base/jre-base.tar)
#
# JAVA_HOME (or the java on PATH) names the JDK; it must be 17 (the release images run 17) and have
# its jmods. The result is checked by running its java -version in a chroot when run as root.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-$ROOT/target/jre-base/jre-base.tar}"
JDK="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
MODULES=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.management.rmi,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.sql.rowset,java.transaction.xa,java.xml,java.xml.crypto,jdk.charsets,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.localedata,jdk.management,jdk.management.agent,jdk.management.jfr,jdk.naming.dns,jdk.net,jdk.security.auth,jdk.unsupported,jdk.zipfs

die() {
    echo "jre-base: $*" >&2
    exit 1
}

[[ -x $JDK/bin/jlink && -d $JDK/jmods ]] || die "no jlink and jmods in $JDK (set JAVA_HOME to a JDK 17 with its jmods)"
version="$("$JDK/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
[[ $version == 17 ]] || die "$JDK is Java $version, the images run Java 17"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
mkdir -p "$rootfs/opt/java" "$rootfs/etc" "$rootfs/tmp" "$rootfs/proc" "$work/image"
chmod 1777 "$rootfs/tmp"

"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files --compress=2 \
    --output "$rootfs/opt/java/openjdk"

# the C libraries the runtime links to, at the paths the dynamic loader looks in
while read -r lib; do
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
done < <(find "$rootfs/opt/java/openjdk" -name '*.so' -o -path '*/bin/*' -type f \
    | xargs ldd 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/lib/ {print $1}' | sort -u)

printf 'root:x:0:0:root:/root:/sbin/nologin\nmapreduce:x:65532:65532:mapreduce:/tmp:/sbin/nologin\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nmapreduce:x:65532:\n' >"$rootfs/etc/group"

# The launcher finds its libraries through /proc/self/exe: the check mounts a /proc as a container has.
if [[ $(id -u) == 0 ]] && command -v unshare >/dev/null && command -v chroot >/dev/null; then
    unshare --fork --pid --mount --mount-proc="$rootfs/proc" chroot "$rootfs" /opt/java/openjdk/bin/java -version 2>&1 \
        | grep -q 'version "17' || die "the runtime does not start in the image's file system"
    echo "jre-base: java -version runs in the image's file system"
fi

# One layer, written reproducibly; the image config as 'docker save' writes it.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$rootfs" -cf "$work/image/layer.tar" .
diff_id="sha256:$(sha256sum "$work/image/layer.tar" | cut -d' ' -f1)"
cat >"$work/image/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/opt/java/openjdk","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]}}
JSON
echo '[{"Config":"config.json","RepoTags":["mapreduce/jre-base:17"],"Layers":["layer.tar"]}]' >"$work/image/manifest.json"
mkdir -p "$(dirname "$OUT")"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$work/image" -cf "$OUT" manifest.json config.json layer.tar
echo "jre-base: $OUT ($(du -h "$OUT" | cut -f1), Java $version from $JDK)"
