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
  # Maven's Guava, Netty and Protobuf still call sun.misc.Unsafe; from JDK 24 on every JVM would
  # print a warning block about it. Allowing it is today's behaviour without the noise.
  JAVA_QUIET=()
  if [ "$best_major" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
    JAVA_QUIET=(--sun-misc-unsafe-memory-access=allow)
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

# True when a PostgreSQL server answers on 127.0.0.1:$1 (it replies S or N to an SSL request).
postgres_answers() {
  local port="${1:-5432}" reply=""
  exec 3<>"/dev/tcp/127.0.0.1/$port" 2>/dev/null || return 1
  printf '\x00\x00\x00\x08\x04\xd2\x16\x2f' >&3
  IFS= read -r -n 1 -t 2 reply <&3 || true
  exec 3>&- 3<&-
  [ "$reply" = "S" ] || [ "$reply" = "N" ]
}

# Starts the machine's PostgreSQL cluster (Debian's layout) when it exists but does not answer on
# 127.0.0.1:5432. With "install" as $1, installs Debian's postgresql first if there is none, and
# lets loopback connect without a password (trust), as the tests expect. Without PostgreSQL the
# tests start an embedded one of their own, so this never fails the run by itself.
ensure_postgres() {
  postgres_answers 5432 && return 0
  local version
  if ! ls -d /etc/postgresql/*/main >/dev/null 2>&1; then
    if [ "${1:-}" = "install" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "installing postgresql"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >/dev/null
      version="$(ls /etc/postgresql | sort -V | tail -1)"
      sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' \
        "/etc/postgresql/$version/main/pg_hba.conf"
    else
      echo "no PostgreSQL on 127.0.0.1:5432: the tests start an embedded one of their own"
      return 0
    fi
  fi
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  echo "starting PostgreSQL $version on 127.0.0.1:5432"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 100); do postgres_answers 5432 && return 0; sleep 0.1; done
  echo "PostgreSQL did not answer on 127.0.0.1:5432: the tests start an embedded one of their own"
}
