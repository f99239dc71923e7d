"""Statutory returns: the DfE children-in-need census (export, checks, import) and Ofsted Annex A.

Everything here reads and writes through plain data (``metrics.returns.records``) so the XML
export, the pre-submission checks and the importer agree on one shape of a census child.
"""
