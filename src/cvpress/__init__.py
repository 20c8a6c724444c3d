"""cvpress: one TOML résumé, several tailored, typeset PDFs."""

from pathlib import Path

__version__ = "0.1.0"

# Where things live; here (not in render) so that cheap code paths need not import the pipeline.
LATEX_DIR = (Path(__file__).resolve().parent / "latex").resolve()  # a link to the repository's latex/; a copy in a wheel
LOCAL_TEMPLATES = "templates"  # beside the content file: the user's own template and .sty files, searched first


def is_theme_folder(theme: str) -> bool:
    """A theme given as a folder (./mine, a/b) rather than a shipped theme's name."""
    return "/" in theme or theme.startswith(".")
