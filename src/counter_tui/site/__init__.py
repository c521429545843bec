"""Sites (站点) known to this node, and the node's own identity."""
