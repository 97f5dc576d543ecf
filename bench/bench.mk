# bench/bench.mk - `make bench`, included at the end of the Makefile.
#
#   make bench          corpora into bench/out/ (git-ignored), every benchmark,
#                       tables into docs/PERFORMANCE.md (about 4 minutes)
#   make bench-profile  callgrind instruction counts for one analysis
#                       (LOG=bench/out/lines-100k.log by default)

.PHONY: bench bench-profile

bench: $(BIN)
	@BUILDSLEUTH=$(BIN) bash bench/run.sh

bench-profile: $(BIN)
	@BUILDSLEUTH=$(BIN) bash bench/profile.sh $(LOG)
