# cvpress: `make pdf` builds every variant into out/, `make test` runs the tests.
# Both set up what they need first: a virtual environment in .venv and TeX Live (Debian packages).

PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
CVPRESS := $(BIN)/cvpress
VARIANT ?=
THEME   ?=
CONTENT ?= content.toml
OUT     ?= out
THEMES  := $(notdir $(wildcard latex/themes/*))

# `make pdf VARIANT=onepage` builds one variant; several: VARIANT="onepage manager"
VARIANT_ARGS := $(foreach v,$(VARIANT),--variant $(v))
# `make pdf THEME=modern` builds with another theme than the content's [style] theme, into a folder
# of its own (out/modern/), so the PDFs in the content's own theme in out/ are never replaced by it
THEME_ARGS := $(if $(THEME),--theme $(THEME))
PDF_OUT    := $(if $(THEME),$(OUT)/$(THEME),$(OUT))
# `make release VERSION=v1.2.0`; without it the version is `git describe --tags --always`
VERSION ?=
VERSION_ARGS := $(if $(VERSION),--version $(VERSION))

.PHONY: all pdf install preview docs-previews test test-tools mutants check variants verify release bench watch schema setup tex venv clean \
	distclean help

all: pdf

help:
	@echo "make pdf [VARIANT=name]  build PDFs into $(OUT)/ (all variants by default; THEME=modern: into $(OUT)/modern/)"
	@echo "make install             put the cvpress command on your PATH: $(BINDIR)/cvpress, a link to $(CVPRESS)"
	@echo "make preview             also write page 1 of each PDF as $(OUT)/<variant>.png"
	@echo "make docs-previews       regenerate docs/preview-<theme>-<variant>.png (the README's pictures)"
	@echo "make test                run the test suite (real TeX compiles)"
	@echo "make mutants             mutation score of the fast tests, per module (not part of make test; minutes)"
	@echo "make check               validate $(CONTENT) without building"
	@echo "make variants            list the variants"
	@echo "make verify              re-check the PDFs in $(OUT)/ (page budget, ATS text check)"
	@echo "make release [VERSION=v] build every variant into $(OUT)/release/ with SHA256SUMS and notes"
	@echo "make bench               time builds against bare pdflatex; table in $(OUT)/bench.md"
	@echo "make watch [VARIANT=name] rebuild on every save of $(CONTENT) or latex/ (Ctrl-C stops)"
	@echo "make schema              regenerate schema/content.schema.json (editor support)"
	@echo "make setup               create $(VENV) and install TeX Live if missing"
	@echo "make clean               remove what cvpress wrote (PDFs, reports, previews, cache); your own files stay"

# Large font packages only when the content needs them: `cvpress packages` names them (fonts-noto-cjk
# for Chinese, Japanese or Korean text), .ci/install-tex installs what is missing.
pdf: setup
	@pkgs=$$($(CVPRESS) packages --content $(CONTENT)) || exit 2; [ -z "$$pkgs" ] || { \
	  printf '%s\n' $$pkgs > $(VENV)/content-packages.txt && .ci/install-tex $(VENV)/content-packages.txt; }
	$(CVPRESS) build --content $(CONTENT) --out $(PDF_OUT) $(VARIANT_ARGS) $(THEME_ARGS)

# `make install`: the `cvpress` command on PATH, as a link to this clone's .venv/bin/cvpress (so it
# follows the clone: `git pull` updates it). An existing $(BINDIR)/cvpress that is not such a link is
# left alone. `BINDIR=~/bin make install` for another folder; `pipx install .` for a copy instead.
BINDIR ?= $(HOME)/.local/bin
install: setup
	@mkdir -p "$(BINDIR)"
	@if [ -e "$(BINDIR)/cvpress" ] && [ ! -L "$(BINDIR)/cvpress" ]; then \
	  echo "cvpress: $(BINDIR)/cvpress exists and is not a link; remove it, or use $(CVPRESS)" >&2; exit 2; fi
	@ln -sfn "$(abspath $(CVPRESS))" "$(BINDIR)/cvpress"
	@echo "installed $(BINDIR)/cvpress (a link to $(abspath $(CVPRESS)))"
	@case ":$$PATH:" in *":$(BINDIR):"*) ;; *) \
	  echo "$(BINDIR) is not on your PATH: add  export PATH=\"$(BINDIR):\$$PATH\"  to ~/.profile (or ~/.zshrc), then open a new terminal";; esac

# Page 1 of each variant built, as a PNG beside its PDF.
preview: pdf
	$(CVPRESS) preview --content $(CONTENT) --out $(PDF_OUT) $(VARIANT_ARGS)

# The README's pictures: page 1 of every variant in every theme, and of the bilingual example's
# onepage in each language, small (65 dpi), committed in docs/.
docs-previews: setup
	@rm -rf $(OUT)/docs-previews && mkdir -p docs
	@for theme in $(THEMES); do \
	  $(CVPRESS) build -q --content $(CONTENT) --out $(OUT)/docs-previews/$$theme --theme $$theme || exit 1; \
	  for pdf in $(OUT)/docs-previews/$$theme/*.pdf; do \
	    png=docs/preview-$$theme-$$(basename $$pdf .pdf); \
	    pdftoppm -png -r 65 -singlefile $$pdf $$png && echo "$$png.png" || exit 1; \
	  done; \
	done
	@$(CVPRESS) build -q --content tests/fixtures/bilingual.toml --out $(OUT)/docs-previews/bilingual -v onepage -v onepage-fr
	@for v in en:onepage fr:onepage-fr; do \
	  pdftoppm -png -r 65 -singlefile $(OUT)/docs-previews/bilingual/$${v#*:}.pdf docs/preview-bilingual-$${v%%:*} && \
	  echo docs/preview-bilingual-$${v%%:*}.png || exit 1; \
	done
	@rm -rf $(OUT)/docs-previews

check: venv
	$(CVPRESS) check --content $(CONTENT)

variants: venv
	$(CVPRESS) variants --content $(CONTENT)

verify: setup
	$(CVPRESS) verify --content $(CONTENT) --out $(PDF_OUT) $(VARIANT_ARGS)

release: setup
	$(CVPRESS) release --content $(CONTENT) --out $(OUT)/release $(VERSION_ARGS)

test: setup test-tools
	$(BIN)/python -m pytest

# Mutation testing (mutmut; [tool.mutmut] in pyproject.toml): each module that decides what the user
# sees or what is safe, mutated, against the fast tests (no TeX); prints the per-module score.
mutants: venv
	@$(BIN)/python -m pip install --quiet mutmut
	@rm -rf mutants
	@$(BIN)/mutmut run --max-children $$(nproc) >/dev/null 2>&1 || true
	@$(BIN)/mutmut results --all true 2>/dev/null | .ci/mutants-table

# What only the tests need (LibreOffice, for the Word documents): .ci/test-packages.txt
test-tools:
	@.ci/install-tex .ci/test-packages.txt

bench: setup
	$(BIN)/python bench/run.py

watch: setup
	$(CVPRESS) watch --content $(CONTENT) --out $(PDF_OUT) $(VARIANT_ARGS) $(THEME_ARGS)

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

# Only what cvpress wrote (`cvpress clean`: the files its records list, unchanged since); your own
# files in $(OUT)/ stay. Without .venv there is nothing of cvpress's to clean but the test caches.
clean:
	@if [ -x $(CVPRESS) ]; then \
	  $(CVPRESS) clean --content $(CONTENT) --out $(OUT) && \
	  for t in $(THEMES); do [ ! -d $(OUT)/$$t ] || $(CVPRESS) clean --content $(CONTENT) --out $(OUT)/$$t; done; fi
	rm -rf .pytest_cache .hypothesis

distclean: clean
	rm -rf $(VENV) src/*.egg-info
