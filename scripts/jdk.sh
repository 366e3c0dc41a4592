# Sourced by the other scripts: finds the JDKs the build needs, so nobody has to set variables.
#   JDK_NEW  a JDK 21+ (runs Maven, compiles and runs the tests: they use virtual threads)
#   JDK_17   a JDK 17 (runs the examples, to prove the library jar works on Java 17)
# Both may be overridden from outside (CONDUIT_JDK_NEW, CONDUIT_JDK_17).

conduit_jdk_feature() { # prints the feature version (17, 21, 25...) of the JDK at $1, or nothing
  local rel="$1/release"
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -f "$rel" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel"
  else
    "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1
  fi
}

conduit_find_jdks() {
  local cands=() d v best="" bestv=0 seventeen=""
  [ -n "${CONDUIT_JDK_NEW:-}" ] && cands+=("$CONDUIT_JDK_NEW")
  [ -n "${JAVA_HOME:-}" ] && cands+=("$JAVA_HOME")
  for d in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$d" ] && cands+=("$d")
  done
  if command -v javac >/dev/null 2>&1; then
    cands+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for d in "${cands[@]}"; do
    v=$(conduit_jdk_feature "$d")
    [ -n "$v" ] || continue
    if [ "$v" -ge 21 ] && [ "$v" -gt "$bestv" ]; then best="$d"; bestv="$v"; fi
    if [ "$v" -eq 17 ] && [ -z "$seventeen" ]; then seventeen="$d"; fi
  done
  if [ -z "$best" ]; then
    echo "conduit: no JDK 21 or newer found (looked in JAVA_HOME and /usr/lib/jvm)." >&2
    echo "conduit: the tests need one for virtual threads; install one, e.g. 'apt-get install openjdk-21-jdk'." >&2
    return 1
  fi
  JDK_NEW="$best"
  JDK_17="${CONDUIT_JDK_17:-$seventeen}"
  export JDK_NEW JDK_17
}

conduit_mvn() { # runs Maven on the new JDK, batch mode, with the project's settings
  JAVA_HOME="$JDK_NEW" MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" mvn -B --no-transfer-progress "$@"
}
