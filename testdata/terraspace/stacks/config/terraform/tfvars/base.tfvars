# Project-wide layer, for every stack: the first layer loaded.
instance_types = ["m5.xlarge"]
