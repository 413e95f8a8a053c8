"""The trafficking case: the child, the case context, the journey, exploitation and actors."""
