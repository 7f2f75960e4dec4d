"""Goals: what an audit optimises, and how its efficacy is measured."""
