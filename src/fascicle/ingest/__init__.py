"""Readers of documents nobody here wrote (the UN's Word fascicles) into the model, with an import report."""
