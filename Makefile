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
# `make release VERSION=v1.2.0`; without it the version is `git describe --tags --always`
VERSION ?=
VERSION_ARGS := $(if $(VERSION),--version $(VERSION))

.PHONY: all pdf test check variants verify release bench watch schema setup tex venv clean distclean help

all: pdf

help:
	@echo "make pdf [VARIANT=name]  build PDFs into $(OUT)/ (all variants by default)"
	@echo "make test                run the test suite (real TeX compiles)"
	@echo "make check               validate $(CONTENT) without building"
	@echo "make variants            list the variants"
	@echo "make verify              re-check the PDFs in $(OUT)/ (page budget, ATS text check)"
	@echo "make release [VERSION=v] build every variant into $(OUT)/release/ with SHA256SUMS and notes"
	@echo "make bench               time builds against bare pdflatex; table in $(OUT)/bench.md"
	@echo "make watch [VARIANT=name] rebuild on every save of $(CONTENT) or latex/ (Ctrl-C stops)"
	@echo "make schema              regenerate schema/content.schema.json (editor support)"
	@echo "make setup               create $(VENV) and install TeX Live if missing"
	@echo "make clean               remove built PDFs and caches"

pdf: setup
	$(CVPRESS) build --content $(CONTENT) --out $(OUT) $(VARIANT_ARGS)

check: venv
	$(CVPRESS) check --content $(CONTENT)

variants: venv
	$(CVPRESS) variants --content $(CONTENT)

verify: setup
	$(CVPRESS) verify --content $(CONTENT) --out $(OUT) $(VARIANT_ARGS)

release: setup
	$(CVPRESS) release --content $(CONTENT) --out $(OUT)/release $(VERSION_ARGS)

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/run.py

watch: setup
	$(CVPRESS) watch --content $(CONTENT) --out $(OUT) $(VARIANT_ARGS)

schema: venv
	$(CVPRESS) schema

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
	rm -rf $(OUT)/*.pdf $(OUT)/*.log $(OUT)/*.txt $(OUT)/*.md $(OUT)/release .cache .pytest_cache .hypothesis

distclean: clean
	rm -rf $(VENV) src/*.egg-info
