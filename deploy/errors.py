"""The one error every deploy target raises."""


class DeployError(Exception):
    """A deploy could not be done; its message says why, for the person deploying.

    gh-pages and rsync change nothing live until their last step; an S3 sync
    may have uploaded some files, but deletes only once all are up.
    """
