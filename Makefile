# cvpress: `make pdf` builds every variant into out/, `make test` runs the tests.
# Both set up what they need first: a virtual environment in .venv and TeX Live (Debian packages).

PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
CVPRESS := $(BIN)/cvpress
VARIANT ?=
CONTENT ?= content.toml
OUT     ?= out

# `make pdf VARIANT=onepage` builds one variant; several: VARIANT="onepage manager"
VARIANT_ARGS := $(foreach v,$(VARIANT),--variant $(v))

.PHONY: all pdf test check variants setup tex venv clean distclean help

all: pdf

help:
	@echo "make pdf [VARIANT=name]  build PDFs into $(OUT)/ (all variants by default)"
	@echo "make test                run the test suite (real TeX compiles)"
	@echo "make check               validate $(CONTENT) without building"
	@echo "make variants            list the variants"
	@echo "make setup               create $(VENV) and install TeX Live if missing"
	@echo "make clean               remove built PDFs and caches"

pdf: setup
	$(CVPRESS) build --content $(CONTENT) --out $(OUT) $(VARIANT_ARGS)

check: venv
	$(CVPRESS) check --content $(CONTENT)

variants: venv
	$(CVPRESS) variants --content $(CONTENT)

test: setup
	$(BIN)/python -m pytest

setup: venv tex

tex:
	@.ci/install-tex

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

clean:
	rm -rf $(OUT)/*.pdf $(OUT)/*.log $(OUT)/*.txt $(OUT)/*.md .cache .pytest_cache .hypothesis

distclean: clean
	rm -rf $(VENV) src/*.egg-info
