"""A real dask.distributed cluster for the Dask tests: started once, on first use."""

import pytest


@pytest.fixture(scope="session")
def dask_client():
    """Client of a LocalCluster with 2 worker processes of 1 thread each."""
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()
