# Fault-injection campaigns (issue 6; docs/reliability.md, "Fault
# injection"): `make faultinject FAULTS=1000 DRIVERS="virtio-blk"` runs one
# boot per driver and appends its counts to tests/fault/results.tsv (commit
# it: campaigns add up across sittings); `make faultinject-table` prints
# the sums for the docs. SEED= repeats a run's faults; TYPES= a comma list.
FAULTS ?= 200
DRIVERS ?= virtio-blk
faultinject: deps all
	tools/faultinject $(foreach d,$(DRIVERS),--driver $(d)) --faults $(FAULTS) \
		$(if $(SEED),--seed $(SEED)) $(if $(TYPES),--types $(TYPES))
faultinject-table:
	@tools/faultinject --table

.PHONY: faultinject faultinject-table
