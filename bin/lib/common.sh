# Shared by bin/run, bin/test and bin/bench: finds a JDK >= 21 and checks for Redis.
# Sourced, not run.

QUMA_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export QUMA_HOME

# The major version of the JDK at $1 (a JAVA_HOME), or nothing.
java_major() {
  [ -x "$1/bin/java" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}

# Exports JAVA_HOME pointing at a JDK >= 21: JAVA_HOME if it is one, else the java on the PATH,
# else the newest under the usual install directories.
ensure_jdk() {
  local best="" best_major=0 candidate major
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
    /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$candidate" ] && candidates+=("$candidate")
  done
  for candidate in "${candidates[@]}"; do
    [ -x "$candidate/bin/javac" ] || continue
    major="$(java_major "$candidate")"
    [ -n "$major" ] || continue
    # The first candidate that is new enough wins (JAVA_HOME, then PATH); otherwise the newest.
    if [ "$major" -ge 21 ] && { [ "$best_major" -lt 21 ] || [ "$candidate" = "${JAVA_HOME:-}" ]; }; then
      best="$candidate"; best_major="$major"
      [ "$candidate" = "${JAVA_HOME:-}" ] && break
    elif [ "$major" -gt "$best_major" ] && [ "$best_major" -lt 21 ]; then
      best="$candidate"; best_major="$major"
    fi
  done
  if [ -z "$best" ] || [ "$best_major" -lt 21 ]; then
    echo "Quma needs a JDK 21 or newer; found none (JAVA_HOME=${JAVA_HOME:-unset})." >&2
    echo "Install one (e.g. apt-get install openjdk-21-jdk) or set JAVA_HOME to it." >&2
    exit 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
  # Maven's own Guava warns about sun.misc.Unsafe on JDK 24+; the warning is noise, not ours.
  if [ "$best_major" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
}

ensure_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "Quma builds with Apache Maven (3.8.6 or newer); install it (e.g. apt-get install maven)." >&2
    exit 1
  fi
}

# True when something on 127.0.0.1:$1 answers PING with PONG.
redis_answers() {
  local port="${1:-6379}" reply=""
  exec 3<>"/dev/tcp/127.0.0.1/$port" 2>/dev/null || return 1
  printf 'PING\r\n' >&3
  IFS= read -r -t 2 reply <&3 || true
  exec 3>&- 3<&-
  [ "${reply%$'\r'}" = "+PONG" ]
}

MVN_FLAGS=(-B -ntp)
