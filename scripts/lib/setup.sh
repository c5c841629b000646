# Shared set-up for scripts/demo and scripts/test: idempotent, and quick when nothing changed.
# Needs only the package registries (PyPI, npm, Debian).

PROJECT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VENV="$PROJECT_ROOT/.venv"
TOOLS="$PROJECT_ROOT/.tools"
BUN_VERSION=1.4.4
# The accessibility check (tests/e2e/test_accessibility.py) injects this axe-core build into each page.
AXE_VERSION=4.14.1

log() { printf '\033[1;36m==>\033[0m %s\n' "$*"; }

ensure_python_env() {
  # $@: requirement files; reinstalled only when their content changes.
  local stamp="$VENV/.installed-$(echo "$*" | tr ' /' '__').sha256" wanted
  wanted=$(cat "$@" | sha256sum | cut -d' ' -f1)
  if [ ! -x "$VENV/bin/python" ]; then
    log "Creating the virtual environment (.venv)"
    python3 -m venv "$VENV"
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    log "Installing Python packages: $*"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    local args=()
    for file in "$@"; do args+=(-r "$file"); done
    "$VENV/bin/python" -m pip install --quiet "${args[@]}"
    echo "$wanted" >"$stamp"
  fi
  export PATH="$VENV/bin:$PATH"
}

ensure_bun() {
  # Reflex cannot download bun here; it comes from npm and Reflex is told to use it.
  if [ "$("$TOOLS/node_modules/.bin/bun" --version 2>/dev/null)" != "$BUN_VERSION" ]; then
    log "Installing bun $BUN_VERSION from npm into .tools/"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --no-audit --no-fund --silent "bun@$BUN_VERSION"
  fi
  export PATH="$TOOLS/node_modules/.bin:$PATH"
  export REFLEX_USE_SYSTEM_BUN=1
  export REFLEX_TELEMETRY_ENABLED=false
}

ensure_chromium() {
  # Playwright drives Debian's Chromium; `playwright install` cannot download browsers here.
  if [ ! -x /usr/bin/chromium ]; then
    log "Installing Chromium from Debian"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
  fi
}

ensure_axe() {
  # axe-core, which the browser tests inject into every page and dialog (WCAG 2.1 A/AA rules).
  local installed
  installed=$(node -p 'require(process.argv[1]).version' "$TOOLS/node_modules/axe-core/package.json" 2>/dev/null || true)
  if [ "$installed" != "$AXE_VERSION" ]; then
    log "Installing axe-core $AXE_VERSION from npm into .tools/"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --no-audit --no-fund --silent --save-exact "axe-core@$AXE_VERSION"
  fi
  export PORTAL_AXE_VERSION="$AXE_VERSION"
}
