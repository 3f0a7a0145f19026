"""Built-in tools, offered to the model as function tools so that any model that can call
functions can use them."""
