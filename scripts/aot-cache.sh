# Sourced by ./ancla. The JDK AOT cache (JEP 483/514): classes loaded and linked by a training run
# are stored in one file that later runs map instead of reading, verifying and linking classes from
# the jars. This is what makes a cold `ancla search` fast (docs/BENCHMARKS.md).
#
# Pitfalls this handles (STACK.md): the cache must come from the same JDK, flags and jar class path
# as the run, or the JVM ignores it silently; a rebuilt jar does not invalidate it on JDK 25.0.3
# (JDK-8377932), so it is rebuilt whenever target/ancla.jar or target/lib is newer than its stamp,
# i.e. after every build. Caches are named by a hash of the jars' bytes and the JVM flags.

# Sets ANCLA_AOT_CACHE to the AOT cache for this build and these JVM flags, or to "" when there is
# none yet: the caller then runs without one. A missing cache is trained in the background,
# detached and at low priority, while this start goes on without it (a first `serve` must not wait
# tens of seconds for a cache before it serves); ANCLA_AOT=wait trains it first instead (image
# builds, benchmarks). A variable, not output: a $(subshell) would cost a fork on every start.
# FLAGS include the class path (-cp), which must be the run's; JAR is the application jar on it.
# Usage: ancla_aot_cache JAVA PROFILE JAR FLAGS...
ancla_aot_cache() {
  local java=$1 profile=$2 jar=$3; shift 3
  local target stamp cache=""
  target=${jar%/*}
  stamp="$target/aot/$profile.current"
  ANCLA_AOT_CACHE=""
  # fast path, builtins only: the stamp names the cache and is newer than the build
  if [ -f "$stamp" ] && [ "$stamp" -nt "$jar" ] && [ "$stamp" -nt "$target/lib" ]; then
    IFS= read -r cache < "$stamp" || true
    if [ -n "$cache" ] && [ -f "$cache" ]; then ANCLA_AOT_CACHE=$cache; return 0; fi
  fi
  if [ "${ANCLA_AOT:-on}" = wait ]; then
    ANCLA_AOT_CACHE=$(ancla_aot_train "$java" "$profile" "$jar" "$@")
  else
    ancla_aot_train_later "$java" "$profile" "$jar" "$@"
  fi
}

# Trains this profile's cache in a background process that outlives the launcher (it becomes the
# JVM's child after exec, then init's), one at a time per profile (flock), niced so that it never
# slows the start it runs beside. SIGINT is ignored by background jobs of a script, so Ctrl-C on
# the command does not cut it short.
ancla_aot_train_later() {
  local dir="${3%/*}/aot"
  mkdir -p "$dir" 2>/dev/null || return 0
  if command -v flock >/dev/null 2>&1; then
    # the lock is taken here and held by the background process (it inherits the descriptor), so
    # a start while one trains starts no second one and says nothing more
    exec 9>"$dir/$2.lock" || return 0
    if ! flock -n 9; then
      exec 9>&-
      return 0
    fi
  fi
  echo "ancla: preparing the start-up cache for this build in the background (once); this start runs without it" >&2
  (
    renice -n 15 "$BASHPID" >/dev/null 2>&1 || true
    ancla_aot_train "$@" >/dev/null 2>&1
  ) </dev/null >/dev/null 2>&1 &
  exec 9>&- # the JVM this script becomes must not hold the lock
}

# Runs the training workload (`ancla bench aot-train`) with the given flags and writes the cache.
ancla_aot_train() {
  local java=$1 profile=$2 jar=$3; shift 3
  local dir lib hash tmp cache log stamp
  dir="${jar%/*}/aot"
  lib="${jar%/*}/lib"
  stamp="$dir/$profile.current"
  mkdir -p "$dir" || return 0
  hash=$( { cat "$jar" "$lib"/*.jar; printf '%s\n' "$java" "$@"; } | sha256sum | cut -c1-16)
  cache="$dir/ancla-$profile-$hash.aot"
  log="$dir/$profile-training.log"
  if [ ! -f "$cache" ]; then
    echo "ancla: preparing the start-up cache for this build (once, a few seconds)..." >&2
    tmp="$cache.$BASHPID.tmp"
    local train=(bench aot-train) scratch=""
    if [ "$profile" = serve ]; then
      train+=(--serve) # the server alone, on a small index it builds
    elif [ "$profile" = oneshot ]; then
      # train on the one-shot commands only; the small index is built beforehand, outside the
      # recording run
      scratch=$(mktemp -d) && "$java" "$@" dev.ancla.cli.Main bench synthetic --n 2000 \
        --out "$scratch" >"$log" 2>&1 && train+=(--data "$scratch")
    fi
    if ! "$java" "$@" -XX:AOTCacheOutput="$tmp" dev.ancla.cli.Main "${train[@]}" >>"$log" 2>&1 \
        || [ ! -f "$tmp" ]; then
      [ -n "$scratch" ] && rm -rf "$scratch"
      echo "ancla: could not build the start-up cache (see $log); starting without it" >&2
      rm -f "$tmp"
      return 0
    fi
    [ -n "$scratch" ] && rm -rf "$scratch"
    mv -f "$tmp" "$cache"
    # older builds' caches of this profile are of no use any more, nor what a training that was
    # killed half-way left
    find "$dir" \( -name "ancla-$profile-*.aot" ! -name "$(basename "$cache")" \) \
      -o -name "ancla-$profile-*.tmp*" -mmin +30 -delete 2>/dev/null || true
  fi
  printf '%s\n' "$cache" > "$stamp.$BASHPID" && mv -f "$stamp.$BASHPID" "$stamp"
  printf '%s\n' "$cache"
}
