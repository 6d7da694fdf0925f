"""Plugins: the registry and the manifests found in the plugins/ folder."""
