import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def clear_cache():
    """The filter form's options are cached; a rolled-back test leaves no signal behind,
    so each test starts with an empty cache."""
    cache.clear()
    yield
    cache.clear()
