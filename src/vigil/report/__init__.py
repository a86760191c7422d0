"""Human-readable output: a self-contained HTML report of a workspace's findings."""

from vigil.report.html import render_report

__all__ = ["render_report"]
