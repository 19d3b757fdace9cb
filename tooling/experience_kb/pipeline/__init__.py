"""PIPELINE: `stages` runs the main job's stages in order over one `Project`; `atomic` writes
each stage's folder through a temporary one swapped in whole."""
