"""The one error the command language raises: a usage mistake the user can fix."""


class UsageError(Exception):
    """Bad input, explained: which token is wrong, what form was expected, and an example.

    `usage` and `example` are filled in by the parser from the command's declaration, so every
    error a user sees carries the expected form, not only the complaint.
    """

    def __init__(
        self, problem: str, *, token: str | None = None, usage: str | None = None, example: str | None = None
    ) -> None:
        super().__init__(problem)
        self.problem = problem
        self.token = token
        self.usage = usage
        self.example = example

    def with_context(self, usage: str, example: str | None) -> "UsageError":
        """The same error, completed with the command's usage line and example."""
        return UsageError(
            self.problem, token=self.token, usage=self.usage or usage, example=self.example or example
        )

    def __str__(self) -> str:
        lines = [self.problem]
        if self.usage:
            lines.append(f"Usage: {self.usage}")
        if self.example:
            lines.append(f"Example: {self.example}")
        return "\n".join(lines)
