"""One module per metadata kind; `registry.KINDS` lists them for every stage to loop over."""
