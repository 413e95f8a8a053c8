"""The child's story after intake: the journey, exploitation episodes, suspected traffickers and
the case's circumstances, each change kept with who, when, why, before and after."""
