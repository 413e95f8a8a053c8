"""Multiple systems estimation: how many children no agency recorded.

Pure library (NumPy / SciPy, no Django): log-linear Poisson models of the 2^K capture-history
table, with the model choices of SparseMSE, MultipleSystemsEstimation and Rcapture, the
Fienberg-Rinaldo existence and rank checks, and normal, profile-likelihood and BCa intervals.
"""

from lantern.estimation.api import METHODS, RECOMMENDED, estimate, recommended_method
from lantern.estimation.fit import EstimateDoesNotExist, NotIdentifiable, Verdict, check_model
from lantern.estimation.models import LogLinearModel, hierarchical_models, parse_model
from lantern.estimation.result import Estimate, Interval
from lantern.estimation.strata import StratifiedEstimate, combine, estimate_strata
from lantern.estimation.table import CaptureTable, CaptureTableError, read_capture_csv

__all__ = [
    "METHODS",
    "RECOMMENDED",
    "CaptureTable",
    "CaptureTableError",
    "Estimate",
    "EstimateDoesNotExist",
    "Interval",
    "LogLinearModel",
    "NotIdentifiable",
    "StratifiedEstimate",
    "Verdict",
    "check_model",
    "combine",
    "estimate",
    "estimate_strata",
    "hierarchical_models",
    "parse_model",
    "read_capture_csv",
    "recommended_method",
]
