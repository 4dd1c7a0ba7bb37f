# Sourced by ./ancla. The JDK AOT cache (JEP 483/514): classes loaded and linked by a training run
# are stored in one file that later runs map instead of reading, verifying and linking classes from
# the jars. This is what makes a cold `ancla search` fast (docs/BENCHMARKS.md).
#
# Pitfalls this handles (STACK.md): the cache must come from the same JDK, flags and jar class path
# as the run, or the JVM ignores it silently; a rebuilt jar does not invalidate it on JDK 25.0.3
# (JDK-8377932), so it is rebuilt whenever target/ancla.jar or target/lib is newer than its stamp,
# i.e. after every build. Caches are named by a hash of the jars' bytes and the JVM flags.

# Sets ANCLA_AOT_CACHE to the AOT cache for this build and these JVM flags, training one first
# when there is none (once per build, a few seconds), or to "" when none can be made: the caller
# then runs without one. A variable, not output: a $(subshell) would cost a fork on every start.
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
  ANCLA_AOT_CACHE=$(ancla_aot_train "$java" "$profile" "$jar" "$@")
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
    tmp="$cache.$$.tmp"
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
    # older builds' caches of this profile are of no use any more
    find "$dir" -name "ancla-$profile-*.aot" ! -name "$(basename "$cache")" -delete 2>/dev/null || true
  fi
  printf '%s\n' "$cache" > "$stamp.$$" && mv -f "$stamp.$$" "$stamp"
  printf '%s\n' "$cache"
}
