"""The sandbox: an ordinary Wagtail site with opengov_cms installed."""

from sandbox.celery import app as celery_app

__all__ = ["celery_app"]
