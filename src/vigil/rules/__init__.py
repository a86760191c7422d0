"""Sigma rules for sign-in logs, run as detectors on DuckDB and Spark.

``vigil rules add`` validates a rule (``load``), maps its source fields onto the ``signins`` table
(``sources``, ``pipelines``), has pysigma-backend-databricks write the SQL and checks it (``sql``), and
keeps the rule in the workspace (``store``); ``vigil detect`` runs each stored rule as a detector
(``detector``). See docs/sigma.md.
"""

#: The folder of a workspace that holds its rules.
RULES_DIR = "rules"
