/*
 * mixer: the sound card's settings from the shell, through the OSS ioctls
 * of /dev/mixer and /dev/dsp (Linux numbers; drivers/ac97 serves them).
 * A Linux program (musl, static), like /sbin/init.
 *
 *   mixer                  volume and pcm, each left:right in 0..100
 *   mixer volume N[:M]     set the master volume (then print it back)
 *   mixer pcm N[:M]        set the PCM volume
 *   mixer rate [HZ]        set /dev/dsp's sample rate (print the one taken),
 *                          or print the codec's rate
 *   mixer trigger on|off   let /dev/dsp play, or hold what is written back
 *                          (SNDCTL_DSP_SETTRIGGER: fill, then play at once)
 *   mixer regs             the codec's master and PCM registers, raw
 *   mixer restarts         how often RS has restarted the driver
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define SNDCTL_DSP_SPEED	0xc0045002u
#define SOUND_PCM_READ_RATE	0x80045002u
#define SNDCTL_DSP_SETTRIGGER	0x40045010u
#define PCM_ENABLE_OUTPUT	0x02
#define SOUND_MIXER_READ_VOLUME	0x80044d00u
#define SOUND_MIXER_READ_PCM	0x80044d04u
#define SOUND_MIXER_WRITE_VOLUME 0xc0044d00u
#define SOUND_MIXER_WRITE_PCM	0xc0044d04u
#define AC97_READ_REGS		0x80044d6fu
#define AC97_READ_RESTARTS	0x80044d70u

static int ask(const char *dev, unsigned long req, int *v)
{
	int fd = open(dev, O_RDWR), r;

	if (fd < 0) {
		perror(dev);
		return -1;
	}
	r = ioctl(fd, req, v);
	if (r < 0)
		perror("ioctl");
	close(fd);
	return r;
}

/* "N" or "N:M" as OSS's left | right << 8. */
static int parse_volume(const char *s)
{
	char *end;
	long l = strtol(s, &end, 10), r = l;

	if (*end == ':')
		r = strtol(end + 1, &end, 10);
	if (*end || l < 0 || l > 100 || r < 0 || r > 100) {
		fprintf(stderr, "mixer: volume is N or N:M, 0..100\n");
		exit(2);
	}
	return (int)(l | r << 8);
}

static void print_volume(const char *what, int v)
{
	printf("%s %d:%d\n", what, v & 0xff, (v >> 8) & 0xff);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	int v = 0, p = 0;

	if (!*cmd) {
		if (ask("/dev/mixer", SOUND_MIXER_READ_VOLUME, &v) < 0 ||
		    ask("/dev/mixer", SOUND_MIXER_READ_PCM, &p) < 0)
			return 1;
		print_volume("volume", v);
		print_volume("pcm", p);
	} else if ((!strcmp(cmd, "volume") || !strcmp(cmd, "pcm")) && argc == 3) {
		int vol = !strcmp(cmd, "volume");
		v = parse_volume(argv[2]);
		if (ask("/dev/mixer", vol ? SOUND_MIXER_WRITE_VOLUME : SOUND_MIXER_WRITE_PCM, &v) < 0)
			return 1;
		print_volume(cmd, v);
	} else if (!strcmp(cmd, "rate") && argc <= 3) {
		v = argc == 3 ? atoi(argv[2]) : 0;
		if (ask("/dev/dsp", argc == 3 ? SNDCTL_DSP_SPEED : SOUND_PCM_READ_RATE, &v) < 0)
			return 1;
		printf("rate %d\n", v);
	} else if (!strcmp(cmd, "trigger") && argc == 3 &&
	    (!strcmp(argv[2], "on") || !strcmp(argv[2], "off"))) {
		v = !strcmp(argv[2], "on") ? PCM_ENABLE_OUTPUT : 0;
		if (ask("/dev/dsp", SNDCTL_DSP_SETTRIGGER, &v) < 0)
			return 1;
	} else if (!strcmp(cmd, "regs") && argc == 2) {
		if (ask("/dev/mixer", AC97_READ_REGS, &v) < 0)
			return 1;
		printf("master 0x%04x pcm 0x%04x\n", v & 0xffff, (v >> 16) & 0xffff);
	} else if (!strcmp(cmd, "restarts") && argc == 2) {
		if (ask("/dev/mixer", AC97_READ_RESTARTS, &v) < 0)
			return 1;
		printf("restarts %d\n", v);
	} else {
		fprintf(stderr, "usage: mixer [volume N[:M] | pcm N[:M] | rate [HZ] | trigger on|off | regs | restarts]\n");
		return 2;
	}
	return 0;
}
