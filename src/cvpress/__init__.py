"""cvpress: one TOML résumé, several tailored, typeset PDFs."""

__version__ = "0.1.0"
