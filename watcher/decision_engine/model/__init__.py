"""Cluster data models (compute, storage, baremetal) and their elements."""
