"""The sign-in form."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

MAX_PASSWORD_LENGTH = 1024


class LoginForm(AuthenticationForm):
    """Django's sign-in form, with the lengths checked before anything else: an overlong
    username or password never reaches authenticate(), the password hasher or the sign-in
    logs (Django sets the username's max_length only as an HTML attribute)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))
        self.fields["password"].validators.append(MaxLengthValidator(MAX_PASSWORD_LENGTH))
