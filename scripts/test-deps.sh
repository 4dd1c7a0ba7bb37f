# Sourced by ./test (and so by .ci/run): installs what the tests need beyond the JDK and Maven
# Central, from Debian's packages, when it is missing. The page tests drive a real headless
# Chromium; they fail, never skip, without it.
ancla_test_deps() {
  local missing=()
  [ -x "${ANCLA_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo="sudo"
    else
      echo "test: the tests need ${missing[*]}; install it as root:" >&2
      echo "test:   apt-get update && apt-get install -y ${missing[*]}" >&2
      return 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "test: the tests need ${missing[*]} and this machine has no apt-get; install it, or" >&2
    echo "test: point ANCLA_CHROMIUM at a Chromium binary" >&2
    return 1
  fi
  echo "test: installing ${missing[*]} from Debian's packages (once; the page tests need it)..." >&2
  $sudo apt-get update -qq >/dev/null || return 1
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null || {
    echo "test: installing ${missing[*]} failed; see apt-get's messages above" >&2
    return 1
  }
}
