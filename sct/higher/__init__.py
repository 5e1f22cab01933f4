"""Higher derivatives by re-entering the pipeline: jacobian, hessian, hvp."""
