"""Visits to States at their invitation (seed paper, section 4.5): the invitation, the visit
(an event of type visit led by the 1540 Committee), its outcomes and the authorities met."""
