"""A password hasher as cheap as one HMAC, for measuring what a submission costs without the
slow hash of its query code (the change docs/benchmarks.md recommends)."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class SingleRoundHasher(PBKDF2PasswordHasher):
    algorithm = "bench_pbkdf2_1"
    iterations = 1
