"""Every message an author can see, in one place: what is wrong, then how to fix it."""

from __future__ import annotations

from elearn.content.model import Problem

_EXAMPLE_Q = "## Mật khẩu mạnh là gì? {{#mat-khau-manh}}"


def error(path: str, line: int, template: str, *args: object) -> Problem:
    """Build an error from a template below."""
    return Problem(path, line, "error", template.format(*args))


def warning(path: str, line: int, template: str, *args: object) -> Problem:
    """Build a warning from a template below."""
    return Problem(path, line, "warning", template.format(*args))


# Collection and course layout
NO_COLLECTION = "không tìm thấy thư mục `{0}`; hãy kiểm tra lại đường dẫn tới thư mục khoá học"
NO_COURSE_MD = (
    "thư mục khoá học chưa có tệp course.md; hãy tạo tệp course.md gồm các dòng ---, "
    "id: ma-khoa-hoc, title: Tên khoá học, --- rồi đến phần giới thiệu khoá học"
)
NO_PREFIX = (
    "tệp không có số thứ tự ở đầu tên nên bị bỏ qua; nếu đây là bài học hoặc bài kiểm tra, "
    "hãy đổi tên thành dạng 01-{0}"
)
DUPLICATE_POSITION = (
    "số thứ tự {0} bị trùng với tệp {1}; hãy đổi số ở đầu tên một trong hai tệp để định thứ tự"
)
DUPLICATE_ITEM_ID = (
    "mã `{0}` bị trùng với tệp {1}; mỗi bài học, bài kiểm tra trong khoá cần một mã riêng, "
    "hãy đổi mã ở một tệp"
)
DUPLICATE_COURSE_ID = (
    "mã khoá học `{0}` bị trùng với tệp {1}; mỗi khoá học cần một mã riêng, hãy đổi mã ở một tệp"
)
DUPLICATE_QUIZ_ID = (
    "mã bài kiểm tra `{0}` bị trùng với bài kiểm tra của khoá học khác ({1}); mỗi bài kiểm tra "
    "trong toàn bộ các khoá học cần một mã riêng, hãy đổi mã ở một tệp"
)
DUPLICATE_QUIZ_TITLE = (
    "tên bài kiểm tra “{0}” bị trùng với tệp {1}; học viên và người quản lý phân biệt các bài "
    "kiểm tra qua tên, hãy đặt tên riêng, ví dụ: title: Bài kiểm tra: Tên khoá học"
)
FILE_IS_SYMLINK = (
    "tệp là liên kết (symlink), không phải tệp thật; hãy chép tệp thật vào thư mục khoá học "
    "thay cho liên kết"
)
COURSE_IS_SYMLINK = (
    "thư mục khoá học là liên kết (symlink), không phải thư mục thật; hãy chép thư mục thật vào "
    "thay cho liên kết"
)
EMPTY_COURSE = (
    "khoá học chưa có bài học nào; hãy thêm tệp bài học dạng 01-ten-bai.md vào thư mục khoá học"
)
EMPTY_LESSON = "bài học chưa có nội dung; hãy viết nội dung bên dưới dòng --- thứ hai"
BAD_TYPE = "type `{0}` không hợp lệ; bài kiểm tra ghi type: quiz, còn bài học thì bỏ dòng type đi"

# Front matter values
BAD_MINUTES = "`minutes` phải là số phút, một số nguyên lớn hơn 0, ví dụ: minutes: 15"
BAD_PASS_MARK = (
    "`pass_mark` phải là số nguyên từ 0 đến 100 (phần trăm điểm cần đạt), ví dụ: pass_mark: 80"
)
BAD_MAX_ATTEMPTS = (
    "`max_attempts` phải là số nguyên từ 0 trở lên (0 là không giới hạn số lần làm bài), "
    "ví dụ: max_attempts: 3"
)
BAD_STATUS = (
    "status `{0}` không hợp lệ; hãy viết status: published (cho học viên thấy) hoặc "
    "status: draft (bản nháp, chưa cho học viên thấy)"
)
BAD_LANGUAGE = "language `{0}` không hợp lệ; hãy viết mã ngôn ngữ như vi hoặc en"
UNKNOWN_COMPETENCY = (
    "năng lực `{0}` không có trong khung năng lực {1}; hãy dùng một trong các mã: {2} (hoặc "
    "thêm lĩnh vực mới vào tệp {1})"
)
TEST_OUT_NO_QUIZ = (
    "test_out: yes cho phép học viên làm bài kiểm tra cuối khoá trước khi học, nhưng khoá học "
    "chưa kết thúc bằng một bài kiểm tra; hãy thêm bài kiểm tra (type: quiz) làm tệp cuối cùng "
    "của khoá học, hoặc bỏ dòng test_out"
)
BAD_COMPETENCY = (
    "năng lực `{0}` không hợp lệ; mỗi năng lực viết bằng chữ thường không dấu, chữ số và dấu "
    "gạch ngang, các năng lực cách nhau bởi dấu phẩy, ví dụ: competencies: {1}"
)

# Spelling
MIXED_TONES = (
    "hãy viết {0}: phần còn lại của khoá học đặt dấu thanh theo kiểu khác ({1} chỗ, ví dụ: {2}); "
    "mỗi khoá học nên viết thống nhất một kiểu, văn bản nhà nước viết hóa, khóa, thủy, Ủy ban"
)

# Markdown limits
TOO_DEEP = (
    "nội dung lồng nhau quá sâu ({0} tầng, tối đa {1}); hãy bớt các dấu > hoặc bớt các mức "
    "thụt đầu dòng của danh sách"
)
TOO_MANY_BRACKETS = (
    "có quá nhiều dấu [ ({0}, tối đa {1}); hãy chia nội dung thành nhiều bài nhỏ hơn"
)
BLOCK_TOO_LONG = (
    "đoạn văn bắt đầu từ dòng này quá dài ({0} ký tự, tối đa {1}); hãy tách thành nhiều đoạn "
    "bằng một dòng trống"
)
BLOCK_TOO_MANY_LINES = (
    "đoạn bắt đầu từ dòng này có quá nhiều dòng liền nhau ({0} dòng, tối đa {1}); hãy tách "
    "thành nhiều đoạn bằng một dòng trống, hoặc chia bảng dài thành nhiều bảng"
)
TOO_MANY_BLOCKS = (
    "tệp có quá nhiều đoạn ({0} đoạn tính đến dòng này, tối đa {1}); một bài học nên đọc xong "
    "trong vài phút: hãy chia nội dung thành nhiều bài ngắn hơn"
)
UNSAFE_LINK = (
    "liên kết `{0}` không được phép; chỉ dùng liên kết bắt đầu bằng https://, http:// hoặc "
    "mailto:, hoặc đường dẫn trong trang"
)

# Images
IMAGE_REMOTE = (
    "ảnh `{0}` lấy từ nơi khác; chỉ dùng ảnh nằm trong thư mục khoá học: hãy tải ảnh về, đặt "
    "vào thư mục images/ rồi viết ![mô tả](images/ten-anh.png)"
)
IMAGE_ABSOLUTE = (
    "đường dẫn ảnh `{0}` là đường dẫn tuyệt đối; hãy dùng đường dẫn tính từ thư mục khoá học, "
    "ví dụ: images/ten-anh.png"
)
IMAGE_PARENT = (
    "đường dẫn ảnh `{0}` có `..` trỏ ra ngoài thư mục khoá học; hãy đặt ảnh vào thư mục "
    "images/ của khoá học và viết images/ten-anh.png"
)
IMAGE_MISSING = (
    "không tìm thấy ảnh `{0}` trong thư mục khoá học; hãy kiểm tra tên tệp (phân biệt chữ "
    "hoa, chữ thường) và đuôi tệp (.png, .jpg)"
)
IMAGE_SYMLINK = (
    "ảnh `{0}` là liên kết (symlink), không phải tệp thật; hãy chép tệp ảnh thật vào thư mục "
    "images/"
)
IMAGE_TYPE = (
    "ảnh `{0}` không dùng được: chỉ nhận ảnh .png, .jpg, .jpeg, .gif hoặc .webp; hãy lưu lại "
    "ảnh dạng PNG hoặc JPG"
)
IMAGE_CONTENT = (
    "tệp `{0}` không phải ảnh {1} thật; hãy mở ảnh bằng Paint rồi lưu lại dạng PNG hoặc JPG"
)
IMAGE_TOO_BIG = (
    "ảnh `{0}` nặng {1} KB, quá giới hạn 5 MB; hãy thu nhỏ ảnh (ví dụ mở bằng Paint, chọn "
    "Resize) rồi lưu lại dạng JPG"
)
IMAGE_BIG = "ảnh `{0}` nặng {1} KB, quá 300 KB nên tải chậm trên mạng yếu; hãy thu nhỏ hoặc nén ảnh"
IMAGE_NO_ALT = (
    "ảnh `{0}` chưa có mô tả; hãy viết mô tả ngắn trong ngoặc vuông, ví dụ: "
    "![Màn hình đăng nhập](images/dang-nhap.png)"
)

# Files linked for download
FILE_ABSOLUTE = (
    "liên kết tới tệp `{0}` là đường dẫn tuyệt đối (trên máy của anh/chị); hãy chép tệp vào "
    "thư mục files/ của khoá học rồi viết [Tải tệp](files/ten-tep.xlsx)"
)
FILE_PARENT = (
    "liên kết tới tệp `{0}` có `..` trỏ ra ngoài thư mục khoá học; hãy chép tệp vào thư mục "
    "files/ của khoá học rồi viết [Tải tệp](files/ten-tep.xlsx)"
)
FILE_MISSING = (
    "không tìm thấy tệp `{0}` trong thư mục khoá học; hãy kiểm tra tên tệp (phân biệt chữ hoa, "
    "chữ thường) và đuôi tệp (.xlsx, .docx, .pdf)"
)
FILE_SYMLINK = (
    "tệp `{0}` là liên kết (symlink), không phải tệp thật; hãy chép tệp thật vào thư mục files/"
)
FILE_TYPE = (
    "liên kết `{0}` trỏ tới loại tệp không dùng được; bài học chỉ cho tải tệp .xlsx (Excel), "
    ".docx (Word) hoặc .pdf; liên kết tới trang web thì viết đầy đủ https://"
)
FILE_OLD = (
    "tệp `{0}` dùng định dạng cũ của Office; hãy mở tệp rồi chọn Tệp > Lưu thành (File > Save "
    "As) và lưu lại dạng {1}"
)
FILE_MACRO = (
    "tệp `{0}` có macro (mã lệnh tự chạy), không an toàn để phát cho cán bộ; hãy lưu lại dạng "
    "{1} thường, không có macro"
)
FILE_CONTENT = (
    "nội dung tệp `{0}` không phải tệp {1} thật dù tên tệp có đuôi đó; hãy mở tệp bằng phần mềm "
    "tạo ra nó và lưu lại đúng định dạng"
)
FILE_TOO_BIG = (
    "tệp `{0}` nặng {1}, quá giới hạn 5 MB; hãy thu gọn tệp (bớt trang, nén ảnh trong tệp) hoặc "
    "chia thành nhiều tệp"
)
FILE_BIG = "tệp `{0}` nặng {1}, quá 1 MB nên tải chậm trên mạng yếu; hãy thu gọn tệp nếu được"

# Quiz structure
HEADING_NO_SPACE = f"thiếu dấu cách sau ##; hãy viết ## rồi một dấu cách, ví dụ: {_EXAMPLE_Q}"
BEFORE_FIRST_QUESTION = (
    "lựa chọn hoặc dòng Đáp án: nằm trước câu hỏi đầu tiên; hãy thêm dòng tiêu đề câu hỏi "
    f"phía trên, ví dụ: {_EXAMPLE_Q}"
)
EMPTY_HEADING = f"tiêu đề câu hỏi trống; hãy viết nội dung câu hỏi sau ##, ví dụ: {_EXAMPLE_Q}"
MISSING_QUESTION_ID = (
    "câu hỏi chưa có mã; hãy thêm {{#ma-cau-hoi}} vào cuối dòng tiêu đề, ví dụ: "
    "## {0} {{#{1}}} (có thể tự thêm mã cho mọi câu hỏi bằng lệnh "
    "python -m elearn.content --add-ids THU_MUC)"
)
BAD_QUESTION_ID = (
    "mã câu hỏi `{0}` không hợp lệ; mã chỉ gồm chữ thường không dấu a-z, chữ số 0-9 và dấu "
    "gạch ngang (-), dài tối đa 64 ký tự, ví dụ: {{#{1}}}"
)
UNKNOWN_OPTION = (
    "tuỳ chọn `{0}` trong dấu {{…}} không hợp lệ; chỉ dùng được #ma-cau-hoi, type=multiple, "
    "points=2 và lesson=ma-bai-hoc, cách nhau bởi dấu cách"
)
BAD_OPTION_VALUE = {
    "type": (
        "type=`{0}` không hợp lệ; chỉ dùng type=multiple (chọn nhiều đáp án) hoặc type=single "
        "(chọn một đáp án)"
    ),
    "points": "points=`{0}` không hợp lệ; số điểm là số nguyên từ 1 đến 999, ví dụ: points=2",
    "lesson": (
        "lesson=`{0}` không hợp lệ; hãy viết mã (id) của một bài học trong khoá, chữ thường "
        "không dấu, ví dụ: lesson=mat-khau-manh"
    ),
}
UNKNOWN_QUESTION_LESSON = (
    "lesson=`{0}`: khoá học không có bài học nào mang mã này; hãy dùng một trong các mã: {1}"
)
TEST_OUT_QUESTION_WITHOUT_LESSON = (
    "khoá học cho phép làm bài kiểm tra đầu vào (test_out: yes), nhưng câu hỏi `{0}` chưa ghi "
    "bài học mà nó kiểm tra; khi học viên làm sai câu này, hệ thống chỉ đoán được bài cần xem "
    "lại theo thứ tự. Hãy thêm lesson=ma-bai-hoc vào dấu {{…}} của câu hỏi, ví dụ: {{#{0} "
    "lesson={1}}}"
)
DUPLICATE_QUESTION_ID = (
    "mã câu hỏi `{0}` bị trùng (dòng {1} và dòng {2}); mỗi câu hỏi cần một mã riêng, hãy đổi một mã"
)
MIXED = (
    "câu hỏi vừa có lựa chọn (- [ ] / - [x]) vừa có dòng Đáp án:; hãy chỉ dùng một cách: lựa "
    "chọn cho câu trắc nghiệm, hoặc Đáp án: cho câu trả lời ngắn"
)
EMPTY_ANSWER = "dòng Đáp án: chưa có nội dung; hãy viết đáp án sau dấu hai chấm, ví dụ: Đáp án: 12"
EMPTY_CHOICE = (
    "lựa chọn chưa có nội dung; hãy viết nội dung sau ô [ ], ví dụ: - [ ] Dùng mật khẩu 123456"
)
BAD_BOX = (
    "ô lựa chọn viết chưa đúng ở dòng `{0}`; hãy viết - [ ] (một dấu cách trong ngoặc vuông) "
    "cho lựa chọn sai và - [x] cho lựa chọn đúng"
)
NO_BOX = (
    "lựa chọn `{0}` thiếu ô [ ]; hãy viết - [ ] {0} nếu đây là lựa chọn sai, "
    "hoặc - [x] {0} nếu đúng"
)
STRAY_LINE = (
    "dòng này nằm sau các lựa chọn hoặc đáp án nhưng không phải lựa chọn (- [ ] …), góp ý "
    "(> … ngay dưới lựa chọn) hay Giải thích:; hãy chuyển nội dung này lên trên phần lựa "
    "chọn, hoặc viết sau Giải thích:"
)
AFTER_EXPLANATION = (
    "lựa chọn hoặc dòng Đáp án: nằm sau Giải thích:; hãy chuyển dòng Giải thích: xuống cuối "
    "câu hỏi, sau mọi lựa chọn và đáp án"
)
NO_ANSWER = (
    "câu hỏi chưa có đáp án; hãy thêm các lựa chọn - [ ] (sai) và - [x] (đúng), hoặc một dòng "
    "Đáp án: …"
)
TOO_FEW_CHOICES = (
    "câu hỏi chỉ có một lựa chọn; cần ít nhất hai lựa chọn - [ ] / - [x], hoặc dùng dòng "
    "Đáp án: … cho câu trả lời ngắn"
)
NO_CORRECT = (
    "chưa có lựa chọn đúng; hãy đánh dấu lựa chọn đúng bằng [x], ví dụ: "
    "- [x] Từ chối cung cấp mã OTP"
)
MULTIPLE_NO_PROMPT = (
    "câu hỏi có nhiều đáp án đúng nhưng chưa ghi “{0}”; hãy thêm câu này vào cuối câu hỏi hoặc "
    "ở dòng ngay dưới, để học viên biết phải chọn mọi ý đúng"
)
SINGLE_MANY = (
    "câu hỏi có type=single nhưng có {0} lựa chọn đúng; hãy chỉ để một [x], hoặc bỏ "
    "type=single để người học chọn mọi đáp án đúng"
)
TRUE_FALSE_BOTH = "câu Đúng/Sai chỉ có một đáp án; hãy để [x] ở Đúng hoặc ở Sai, không phải cả hai"
DUPLICATE_CHOICE = (
    "lựa chọn `{0}` bị lặp lại (đã có ở dòng {1}); hãy xoá hoặc sửa một trong hai lựa chọn"
)
TYPE_NOT_CHOICE = (
    "type={0} chỉ dùng cho câu hỏi có lựa chọn - [ ] / - [x]; hãy bỏ type={0} ở câu này"
)
BAD_NUMBER = (
    "không đọc được số `{0}`; hãy viết số kiểu Việt Nam: dấu chấm ngăn cách hàng nghìn, dấu "
    "phẩy trước phần thập phân, ví dụ: 1.500.000 hoặc 2,5 ± 0,1"
)
NUMBER_AND_TEXT = (
    "câu hỏi có đáp án kèm sai số (±) và cả đáp án không phải số; hãy dùng toàn số, hoặc bỏ "
    "phần ± để so khớp theo chữ"
)
NO_QUESTIONS = (
    "bài kiểm tra chưa có câu hỏi nào; mỗi câu hỏi bắt đầu bằng một dòng tiêu đề, ví dụ: "
    f"{_EXAMPLE_Q}"
)
