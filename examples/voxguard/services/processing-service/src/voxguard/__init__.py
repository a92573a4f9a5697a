"""VoxGuard processing service: turns raw call-detail events into fraud signals.

The worker consumes batches of call events, normalises the numbers to E.164,
adds per-call risk features and aggregates fraud statistics per carrier.
"""

from voxguard.aggregate import CarrierStats, aggregate_by_carrier
from voxguard.features import RiskFeatures, score_batch
from voxguard.models import CallEvent, InvalidEventError
from voxguard.normalize import NormalizedNumber, normalize_number
from voxguard.worker import BatchResult, ProcessingWorker

__version__ = "0.3.1"

__all__ = [
    "BatchResult",
    "CallEvent",
    "CarrierStats",
    "InvalidEventError",
    "NormalizedNumber",
    "ProcessingWorker",
    "RiskFeatures",
    "__version__",
    "aggregate_by_carrier",
    "normalize_number",
    "score_batch",
]
