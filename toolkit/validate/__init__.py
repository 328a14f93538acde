"""Validation: well-formedness, RELAX NG, Schematron and cross-file references."""
