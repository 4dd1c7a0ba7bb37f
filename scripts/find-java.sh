# Sourced by ./ancla and ./test. Prints the home of a JDK 25 or newer, and sets ANCLA_JAVA_HOME to
# it (so that the launcher need not fork a subshell to read it): $JAVA_HOME if it is one, else the
# newest under /usr/lib/jvm (ANCLA_JVM_DIR overrides that folder). Returns 1 with a message on
# stderr when there is none.
ancla_find_java() {
  local candidates=() dir version major best="" best_major=0
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  local jvms=${ANCLA_JVM_DIR:-/usr/lib/jvm}
  for dir in "$jvms"/*; do [ -d "$dir" ] && candidates+=("$dir"); done
  for dir in "${candidates[@]}"; do
    [ -x "$dir/bin/java" ] || continue
    version=""
    if [ -f "$dir/release" ]; then
      # bash builtins only: this runs on every launch, and a fork per JDK cost ~20 ms in all
      local line
      while IFS= read -r line || [ -n "$line" ]; do
        if [[ "$line" =~ ^JAVA_VERSION=\"([^\"]*)\" ]]; then version=${BASH_REMATCH[1]}; break; fi
      done < "$dir/release"
    fi
    if [ -z "$version" ]; then
      version=$("$dir/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
    fi
    major=${version%%.*}
    [[ "$major" =~ ^[0-9]+$ ]] || continue
    if [ "$major" -ge 25 ]; then
      # $JAVA_HOME wins when it qualifies; otherwise take the newest
      if [ "$dir" = "${JAVA_HOME:-}" ]; then best=$dir; break; fi
      if [ "$major" -gt "$best_major" ]; then best=$dir; best_major=$major; fi
    fi
  done
  if [ -z "$best" ]; then
    echo "ancla: no JDK 25 or newer found (looked at JAVA_HOME=${JAVA_HOME:-unset} and $jvms/*)." >&2
    echo "ancla: install one (e.g. Temurin 25) and set JAVA_HOME to its directory." >&2
    return 1
  fi
  ANCLA_JAVA_HOME=$best
  printf '%s\n' "$best"
}
