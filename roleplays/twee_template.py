# ruff: noqa: E501 - the template's lines are as a trainer writes them: one reply per line
"""The Twee template trainers download from the import page: a short scored Kefu scenario
that shows every convention of `roleplays.twee` (the setting passage, speaker and mood,
points and feedback on replies, a condition, passing and failing endings). It imports with
nothing left to do, and opens in Twine 2 (Library → Import) as an ordinary Harlowe story:
the kefu comments are HTML comments, which Twine does not show.
"""

FILENAME = "kefu-scenario-template.twee"

TEMPLATE = """\
:: StoryTitle
模板：卫生间漏水投诉


:: StoryData
{
  "ifid": "5E0C2E7A-3F43-4B7B-9E0B-6C1A4D2F8B10",
  "format": "Harlowe",
  "format-version": "3.3.9",
  "start": "来电",
  "tag-colors": {
    "ending": "purple",
    "fail": "red",
    "kefu-setting": "yellow",
    "narration": "blue",
    "pass": "green"
  },
  "zoom": 1
}


:: 场景设定 [kefu-setting] {"position":"100,250","size":"100,100"}
<!-- 这个段落（kefu-setting 标签）写场景设定，每行“键: 值”。
     channel 可写 前台 / 电话 / 上门；pass_mark 是通过所需的总分百分比；
     immediate_feedback 为 yes 时，学员每选一次就看到专家点评。 -->
owner: 王女士，5栋902业主，退休教师
situation: 楼上卫生间漏水，王女士家天花板渗水已一周，报修两次没人上门，今天打电话到服务中心。
channel: 电话
pass_mark: 70
immediate_feedback: yes
summary: 接听漏水投诉：先安抚，再登记，给出明确时限


:: 来电 {"position":"100,100","size":"100,100"}
<!-- 没有 ending 标签、写了链接的段落是业主说的话；@speaker 和 @mood 写在最前面。
     情绪可写：平静 担心 不耐烦 生气 愤怒 放心 满意。 -->
@speaker: 王女士
@mood: 生气
我家天花板又在滴水了！报修两次都没人来，你们物业到底管不管？

<!-- 每个链接是学员的一个回答，单独一行。链接后面的 kefu 注释给分数和点评：
     分数维度：empathy 同理心、phrasing 规范用语、process 流程、resolution 解决问题，可为负分。 -->
[[王女士，您好，实在抱歉让您久等了，这件事我来跟进。->询问情况]] <!--kefu {"points": {"empathy": 2, "phrasing": 1}, "feedback": "先致歉、表明由自己负责，业主的情绪才会降下来。"} -->
[[这个要找楼上业主，不归我们管。->业主更生气]] <!--kefu {"points": {"empathy": -2, "process": -1}, "feedback": "推诿是禁语：漏水影响到业主，物业就要牵头协调。"} -->


:: 询问情况 {"position":"350,100","size":"100,100"}
@speaker: 王女士
@mood: 不耐烦
那你说怎么办？我家吊顶都泡坏了。

[[我马上登记，安排维修师傅今天下午两点前上门查看，并联系楼上业主配合。->结局：圆满解决]] <!--kefu {"points": {"process": 2, "resolution": 2}, "feedback": "给出明确的时间和措施，形成闭环。"} -->
[[您先等等，我们尽快安排。->业主更生气]] <!--kefu {"points": {"resolution": -1}, "feedback": "“尽快”没有时限，业主无法放心。"} -->


:: 业主更生气 [narration] {"position":"350,250","size":"100,100"}
<!-- narration 标签：旁白，没有说话人。 -->
王女士提高了声音，说要打电话到公司投诉。

[[非常抱歉，是我们做得不到位。我现在就登记，今天下午两点前一定安排师傅上门。->结局：圆满解决]] <!--kefu {"points": {"empathy": 1, "resolution": 2}, "feedback": "及时补救：道歉加明确时限。", "if": [{"kind": "visited", "node": "询问情况"}]} -->
[[那您去投诉吧。->结局：升级投诉]] <!--kefu {"points": {"empathy": -2, "phrasing": -2}, "feedback": "激化矛盾，是最差的回应。"} -->
[[王女士，您别着急，我先帮您登记，下午两点前安排师傅上门。->结局：圆满解决]] <!--kefu {"points": {"empathy": 1, "process": 1, "resolution": 1}, "feedback": "安抚之后给出时限，业主愿意再给一次机会。"} -->


:: 结局：圆满解决 [ending pass] {"position":"600,100","size":"100,100"}
<!-- 结局：ending 标签加 pass（通过）或 fail（未通过）；正文就是结局的结果说明。 -->
王女士同意等师傅上门，挂电话前说了声谢谢。


:: 结局：升级投诉 [ending fail] {"position":"600,250","size":"100,100"}
王女士向公司投诉了服务中心，这次来电成了一起有效投诉。
"""
