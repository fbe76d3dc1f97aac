# LeadHygiene — `make run` and `make test` do everything on a fresh Debian machine.
SWIFT        ?= swift
N            ?= 2000
SEED         ?= 42
APT_PACKAGES := libcurl4-openssl-dev libssl-dev libxml2-dev libsqlite3-dev pkg-config dnsmasq-base python3 python3-venv publicsuffix chromium
BIN          := .build/debug/leadhygiene
RELEASE_BIN  := .build/release/leadhygiene

PREFIX       ?= /usr/local
DESTDIR      ?=
STATIC_BUILD := .build-static
STATIC_BIN   := $(STATIC_BUILD)/release/leadhygiene
VERSION      := $(shell sed -n 's/.*current = "\(.*\)"/\1/p' Sources/LeadHygiene/ToolVersion.swift)

.PHONY: deps build release run test bench lint sample clean febrl resources install dist test-install workbooks docs check report-screenshot spark-test spark-venv spark-test-dist

## deps: install the system packages the build and tests need (apt; run as root or with sudo)
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product leadhygiene
	$(SWIFT) build -c release --product lead-sample

## run: build and run the weekly pipeline on SampleData/
run: build
	$(BIN) run Pipelines/weekly-hygiene.yml

## report-screenshot: run the weekly pipeline and take docs/report.png of out/report.html with headless Chromium
report-screenshot: run
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
	  --user-data-dir="$$(mktemp -d)" --screenshot=docs/report.png --window-size=1100,6400 \
	  "file://$(CURDIR)/out/report.html"

## test: build and run every test
test: build
	python3 scripts/embed-resources.py --check
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel --num-workers 2

## lint: check every pipeline file
lint: build
	@status=0; for f in Pipelines/*.yml; do $(BIN) lint $$f || status=1; done; exit $$status

## docs: rewrite the generated option tables, columns and reason codes in docs/stages/*.md from the stage definitions
docs: build
	python3 scripts/update-docs.py --binary $(BIN)

## check: format lint, a build with warnings as errors, pipeline lint, and the generated docs and resources up to date
# The pretty printer's layout findings are left out until the tree is reformatted once (issue #15 follow-up):
# the code predates .swift-format, and a tree-wide reformat would collide with every open branch.
FORMAT_LAYOUT := Indentation|AddLines|Spacing|RemoveLine|LineLength|TrailingComma|EndOfLineComment
check: build
	@findings=$$($(SWIFT) format lint --strict --parallel --recursive --configuration .swift-format Sources Tests Benchmarks 2>&1 \
	  | grep -Ev '\[($(FORMAT_LAYOUT))\]'); \
	if [ -n "$$findings" ]; then echo "$$findings"; echo "swift format lint: fix the findings above"; exit 1; fi
	$(SWIFT) build --build-tests -Xswiftc -warnings-as-errors --scratch-path .build-check
	$(MAKE) --no-print-directory lint
	python3 scripts/update-docs.py --check --binary $(BIN)
	python3 scripts/embed-resources.py --check

## sample: regenerate SampleData (make sample N=1000000 writes a big list to out/)
sample: deps
	$(SWIFT) build --product lead-sample
	@if [ "$(N)" = "2000" ]; then \
	  .build/debug/lead-sample --rows 2000 --seed $(SEED) --output SampleData/leads.csv --truth SampleData/leads.truth.csv --firmographics SampleData/firmographics.csv; \
	else \
	  mkdir -p out && .build/debug/lead-sample --rows $(N) --seed $(SEED) --output out/leads-$(N).csv --truth out/leads-$(N).truth.csv --firmographics out/firmographics-$(N).csv; \
	fi

## bench: records/s and peak RSS per stage (release build)
bench: deps
	$(SWIFT) build -c release
	@[ -x out/bench-venv/bin/python ] || { python3 -m venv out/bench-venv && out/bench-venv/bin/pip install -q duckdb==1.1.3; } \
	  || echo "DuckDB could not be installed (PyPI unreachable?): its comparison line is skipped"
	bash Benchmarks/run.sh

## workbooks: rewrite the committed .xlsx test fixtures with openpyxl 3.1.5 (a venv in .venv; needs PyPI)
workbooks:
	python3 -m venv .venv && .venv/bin/pip install -q openpyxl==3.1.5
	.venv/bin/python Tests/Fixtures/Workbooks/make_workbooks.py

## febrl: unsupervised dedupe on the FEBRL benchmark (../shared/data/febrl): pairwise P/R/F1 and seconds
FEBRL ?= ../shared/data/febrl
febrl: deps
	$(SWIFT) build -c release --product DedupeBench
	.build/release/DedupeBench febrl $(FEBRL)

## resources: compile each module's Resources/ files into its EmbeddedResources.swift
resources:
	python3 scripts/embed-resources.py

## install: a release binary with the Swift runtime linked in, its man page and completions, under $(DESTDIR)$(PREFIX)
install: deps
	$(SWIFT) build -c release --product leadhygiene --static-swift-stdlib --scratch-path $(STATIC_BUILD)
	bash scripts/install.sh $(STATIC_BIN) "$(DESTDIR)$(PREFIX)"

## dist: out/leadhygiene-VERSION-linux-ARCH.tar.gz (binary, man page, completions, sample pipelines and data, notices)
dist: deps
	$(SWIFT) build -c release --product leadhygiene --static-swift-stdlib --scratch-path $(STATIC_BUILD)
	bash scripts/dist.sh $(STATIC_BIN) $(VERSION)

## test-install: install into a temporary prefix, move it, and run the sample pipeline from elsewhere (slow: release build)
test-install: dist
	bash scripts/test-install.sh out/leadhygiene-$(VERSION)-linux-$(shell uname -m).tar.gz

## spark-test: a generated list (SPARK_ROWS, default 100000) run on Spark local[2] by scripts/leadhygiene_spark.py and by one
## leadhygiene run; clean rows, rejects, reasons and accounting must be the same (pyspark in out/spark-venv, Java 17 from apt);
## then two weeks of the weekly job with a store (SPARK_STORE_ROWS, default 3000): the same files, report and store tables;
## then two weeks of dedupe-store.yml with dedupe over partitions and a store (SPARK_STORE_ROWS): the same files, report and entity ids;
## then a scrape pipeline against loopback sites, spread by site (SPARK_SCRAPE_ROWS, default 2000): the same files and report;
## then a CRM export as a folder of parts (`;`, CRLF, a BOM, Email twice) and the driver's refused destinations
PYSPARK_VERSION := 4.0.1
SPARK_VENV      := out/spark-venv
SPARK_ROWS      ?= 100000
SPARK_STORE_ROWS ?= 3000
SPARK_SCRAPE_ROWS ?= 2000
SPARK_MASTER    ?= local[2]
spark-venv: deps
	@for p in openjdk-17-jre-headless python3-venv; do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; fi
	@test -x $(SPARK_VENV)/bin/spark-submit || { python3 -m venv $(SPARK_VENV) && $(SPARK_VENV)/bin/pip install -q pyspark==$(PYSPARK_VERSION); }

spark-test: spark-venv
	$(SWIFT) build -c release --product leadhygiene
	$(SWIFT) build -c release --product lead-sample
	python3 Tests/Spark/compare_runs.py --binary $(RELEASE_BIN) --lead-sample .build/release/lead-sample \
	  --spark-submit $(SPARK_VENV)/bin/spark-submit --rows $(SPARK_ROWS) --store-rows $(SPARK_STORE_ROWS) \
	  --scrape-rows $(SPARK_SCRAPE_ROWS) --master '$(SPARK_MASTER)'

## spark-test-dist: the same comparison (SPARK_DIST_ROWS, default 3000) with the executors given only the `make dist`
## tarball (shipped through Spark's archives), and a tarball whose binary lacks a library refused by name
SPARK_DIST_ROWS ?= 3000
spark-test-dist: spark-venv dist
	$(SWIFT) build -c release --product lead-sample
	python3 Tests/Spark/compare_runs.py --binary $(STATIC_BIN) --lead-sample .build/release/lead-sample \
	  --binary-archive out/leadhygiene-$(VERSION)-linux-$(shell uname -m).tar.gz \
	  --spark-submit $(SPARK_VENV)/bin/spark-submit --rows $(SPARK_DIST_ROWS) --master '$(SPARK_MASTER)' --work out/spark-test-dist

clean:
	rm -rf .build $(STATIC_BUILD) out
