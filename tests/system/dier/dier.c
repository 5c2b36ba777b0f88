/* dier: exits at once with status 7, leaving a dead endpoint behind. */
int main(void)
{
	return 7;
}
