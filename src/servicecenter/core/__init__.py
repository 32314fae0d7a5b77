"""The framework-free computational core: values in, values out; never Django, never a clock."""
