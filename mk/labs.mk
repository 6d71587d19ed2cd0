# `make labs`: builds every classroom lab in place (labs/NN-name/; see labs/README.md).
labs:
	@$(MAKE) --no-print-directory -C labs
