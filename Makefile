# Briefer — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q

# Debian packages: LibreOffice + poppler + a Japanese font render and check DOCX
# in the tests; the X/GL libraries let Qt start on a bare Debian 12.
TEST_DEBS := libreoffice-writer-nogui poppler-utils fonts-ipaexfont-gothic fonts-crosextra-carlito fonts-crosextra-caladea \
	libgl1 libegl1 libglib2.0-0 libfontconfig1 libdbus-1-3 libxkbcommon0 \
	desktop-file-utils appstream shared-mime-info \
	postgresql postgresql-contrib
SCREEN_DEBS := xvfb xauth xdotool libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 \
	libxkbcommon-x11-0 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1

.DEFAULT_GOAL := help
.PHONY: help run test bench lint schemas reference-doc icons screenshots package package-test \
	install-desktop uninstall-desktop system-deps screen-deps team-demo screenshot-team clean

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-18s %s\n", $$1, $$2}'

$(VENV)/.installed-run: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -e '.[test,bench,dev]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run ## install Briefer in .venv and start it on the default store
	$(VENV)/bin/briefer

system-deps: ## install the Debian packages the tests need (when root and missing)
	@bash scripts/ensure-debs.sh $(TEST_DEBS)

screen-deps: ## install Xvfb and xdotool for screenshots and manual checks (root)
	@bash scripts/ensure-debs.sh $(SCREEN_DEBS) $(TEST_DEBS)

test: $(VENV)/.installed-test system-deps ## install what the tests need and run the whole suite
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

lint: $(VENV)/.installed-test ## ruff, mypy and the import contracts (import-linter)
	$(VENV)/bin/ruff check briefer tests benchmarks scripts packaging
	$(VENV)/bin/mypy briefer
	$(VENV)/bin/lint-imports

bench: $(VENV)/.installed-test system-deps ## run the benchmarks, printing JSON
	@for b in benchmarks/bench_*.py; do QT_QPA_PLATFORM=offscreen $(PY) $$b || exit 1; done

schemas: $(VENV)/.installed-run ## regenerate the JSON Schemas in resources/schemas/
	$(PY) scripts/gen_schemas.py

reference-doc: $(VENV)/.installed-run ## regenerate resources/reference.docx from scripts/make_reference_docx.py
	$(PY) scripts/make_reference_docx.py resources/reference.docx

icons: $(VENV)/.installed-run ## render the PNG/ICO/ICNS icons from resources/icons/briefer.svg
	QT_QPA_PLATFORM=offscreen $(PY) packaging/make_icons.py

screenshots: $(VENV)/.installed-test screen-deps ## render docs/screenshots/*.png of the window
	QT_QPA_PLATFORM=offscreen $(PY) scripts/screenshots.py docs/screenshots

screenshot-team: $(VENV)/.installed-test screen-deps system-deps ## render docs/screenshots/team-*.png: a live update between two processes
	QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" $(PY) scripts/screenshot_team_live.py docs/screenshots

package: $(VENV)/.installed-test ## build the one-folder bundle dist/briefer/ with PyInstaller
	$(PIP) install -e '.[package]'
	$(VENV)/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build packaging/briefer.spec

package-test: system-deps ## smoke-test the bundle in dist/briefer/
	bash packaging/smoke_test.sh dist/briefer

install-desktop: ## install the .desktop entry, icons and MIME type for this user
	bash packaging/linux/install-desktop.sh install

uninstall-desktop: ## remove what install-desktop installed
	bash packaging/linux/install-desktop.sh uninstall

team-demo: $(VENV)/.installed-test system-deps ## a throwaway PostgreSQL team library with a reader and an editor (Ctrl+C stops it)
	$(PY) scripts/team_demo.py

clean: ## remove build products (not .venv)
	rm -rf build dist .pytest_cache .hypothesis
