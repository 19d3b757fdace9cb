"""Printable booklets: manifests, composition, typesetting and imposition."""
