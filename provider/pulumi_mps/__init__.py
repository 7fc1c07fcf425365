"""Tencent Cloud MPS processing tasks as Pulumi resources."""
